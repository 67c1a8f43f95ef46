"""The outbox in the admin: what was sent to whom, read and e-mailed when.

Read-only on purpose. A notification is written by the code that causes it, in the
same transaction, under its (recipient, reason, period) key; one added, edited or
deleted by hand would break "exactly once" (a deleted row is sent again by the next
sweep). Rows are scoped by the recipient's place in the tree.
"""

from django.contrib import admin
from django.http import HttpRequest

from members.admin_scope import PERSON_PATH_FIELDS, ScopedAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path_fields = tuple(f"recipient__person__{field}" for field in PERSON_PATH_FIELDS)
    list_display = ["title", "recipient", "reason", "period_key", "created_at", "read_at",
                    "emailed_at"]
    list_filter = ["reason", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "period_key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
