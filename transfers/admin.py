"""The committee's admin for transfers: scoped to the branches of the user's subtree,
read-only, because issuing, receiving and confirming move memberships and go through
the portal's services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin

from .models import Transfer


@admin.register(Transfer)
class TransferAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("from_branch__path", "to_branch__path")
    list_display = [
        "letter_no",
        "letter_year",
        "person",
        "direction",
        "from_branch",
        "to_branch",
        "outside_organisation",
        "issued_on",
        "effective_on",
        "status",
    ]
    list_filter = ["status", "direction", "letter_year"]
    list_select_related = ["person", "from_branch", "to_branch"]
    search_fields = ["letter_no", "person__name", "outside_organisation"]
    autocomplete_fields = ["person", "from_branch", "to_branch"]
    date_hierarchy = "issued_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
