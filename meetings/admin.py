"""The committee's admin for party life: rules are edited here, meetings reviewed."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, Attendance, ComplianceRule, Meeting, QuorumRule


@admin.register(ComplianceRule)
class ComplianceRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "meeting_kind", "organisation_kind", "period", "minimum_count", "applies_when",
        "given_by", "is_enabled", "source",
    ]
    list_filter = ["is_enabled", "organisation_kind", "period", "applies_when", "given_by"]
    list_editable = ["minimum_count", "is_enabled"]


@admin.register(QuorumRule)
class QuorumRuleAdmin(SimpleHistoryAdmin):
    list_display = ["meeting_kind", "voters", "more_than_percent", "is_enabled", "source"]
    list_filter = ["is_enabled"]
    list_editable = ["more_than_percent", "is_enabled"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "status", "leave_reason", "signed_in_at", "makeup_done_on"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "file", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["topic", "organisation", "kind", "held_at", "status", "is_quorate"]
    list_filter = ["status", "is_quorate", "kind", "held_at"]
    list_select_related = ["organisation"]
    search_fields = ["topic", "organisation__name"]
    date_hierarchy = "held_at"
    raw_id_fields = ["organisation", "host", "recorder", "lecturer"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "created_by", "created_at",
                       "quorum_voters", "quorum_present", "quorum_needed", "is_quorate"]
    inlines = [AttendanceInline, AttachmentInline]
