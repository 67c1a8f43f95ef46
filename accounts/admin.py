from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import LoginThrottle
from .services import login_unlock


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Locked logins and recent failures; the only change is to unlock."""

    list_display = ("username", "failures", "last_failure_at", "last_ip", "locked_until")
    search_fields = ("username",)
    actions = ["unlock"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Unlock the selected logins"), permissions=["delete"])
    def unlock(self, request, queryset) -> None:
        n = login_unlock(usernames=list(queryset.values_list("username", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d login unlocked.", "%(n)d logins unlocked.", n) % {"n": n},
            messages.SUCCESS,
        )
