from django.contrib import admin

from .models import Download


@admin.register(Download)
class DownloadAdmin(admin.ModelAdmin):
    """Read-only: the record of downloads is written by the middleware alone."""

    list_display = ("at", "username", "filename", "path", "query", "size", "ip")
    list_filter = ("at",)
    search_fields = ("username", "filename", "path")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
