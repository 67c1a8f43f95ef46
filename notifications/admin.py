from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "reason", "period_key", "created_at", "read_at",
                    "emailed_at"]
    list_filter = ["reason", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "period_key"]
    readonly_fields = ["created_at", "read_at", "emailed_at"]
