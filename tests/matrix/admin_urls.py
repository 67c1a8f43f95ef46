"""The Django admin's named URLs: every registered ModelAdmin's pages, and the site's."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse

# What every ModelAdmin registers (simple_history adds one page per historical row).
MODEL_PAGES = ("changelist", "add", "change", "history", "delete", "simple_history")

# The admin site's own named URLs -> access: "public" (anyone), "staff" (staff users;
# others to the admin login), "refused" (a GET by anyone: never 200, never 500).
SITE_PAGES = {
    "admin:index": "staff",
    "admin:login": "public",
    "admin:logout": "refused",  # logs out by POST; a GET changes nothing
    "admin:password_change": "staff",
    "admin:password_change_done": "staff",
    "admin:autocomplete": "staff",  # without its query parameters: a 403 for everyone
    "admin:jsi18n": "staff",
    "admin:view_on_site": "refused",  # no model has get_absolute_url: 404 for all
    "admin:app_list": "staff",
    "admin:javascript-catalog": "public",  # treebeard's translation catalogue
    "admin:auth_user_password_change": "staff",
}


# Decision: logins and groups are the superuser's; the committee admin group has no
# permission on them (403 for dangwei).
SUPERUSER_ONLY = frozenset({"auth.User", "auth.Group"})


@dataclass(frozen=True)
class AdminPage:
    name: str
    model: type | None = None
    page: str = ""


def model_pages() -> dict[str, AdminPage]:
    pages = {}
    for model in admin.site._registry:
        meta = model._meta
        for page in MODEL_PAGES:
            name = f"admin:{meta.app_label}_{meta.model_name}_{page}"
            pages[name] = AdminPage(name, model, page)
    return pages


def admin_url(entry: AdminPage) -> str | None:
    """The URL to open, or None when the demo has no row to open it for."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    if entry.model is None:
        if entry.name == "admin:app_list":
            return reverse(entry.name, kwargs={"app_label": "members"})
        if entry.name == "admin:view_on_site":
            from members.models import Person

            person = Person.objects.order_by("pk").first()
            return reverse(
                entry.name,
                kwargs={
                    "content_type_id": ContentType.objects.get_for_model(Person).pk,
                    "object_id": person.pk,
                },
            )
        if entry.name == "admin:auth_user_password_change":  # superuser only
            user = get_user_model().objects.get(username="dangyuan")
            return reverse(entry.name, args=[user.pk])
        return reverse(entry.name)
    if entry.page in ("changelist", "add"):
        return reverse(entry.name)
    # The newest row: usually a leaf, so its delete confirmation stays small (the
    # oldest organisation is the committee, whose deletion would list the whole tree).
    obj = entry.model._default_manager.order_by("-pk").first()
    if entry.model._meta.label == "members.Person":
        # The newest person may have left the tree (transferred out): outside the
        # committee's scope. Open the target person.
        from .targets import Targets

        obj = Targets().person
    if obj is None:
        return None
    if entry.page == "simple_history":
        record = obj.history.order_by("-history_id").first() if hasattr(obj, "history") else None
        if record is None:
            return None
        return reverse(entry.name, args=[obj.pk, record.history_id])
    return reverse(entry.name, args=[obj.pk])
