"""The navbar bell: the unread count in one query, only on pages that show it."""

from django import template

from ..models import Notification

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context) -> dict:
    user = context["request"].user
    unread = Notification.objects.for_user(user).unread().count() if user.is_authenticated else 0
    return {"unread": unread}
