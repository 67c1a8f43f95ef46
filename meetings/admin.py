"""The committee's admin for party life: rules and quorums are edited here, meetings
reviewed and, while drafts, corrected.

Meetings are written through the services like everywhere else: a draft saved here
goes through `meeting_create`/`meeting_update` with the services' checks, drafts are
submitted by an action that calls `meeting_submit`, and a submitted meeting is
read-only (it is final; a correction goes through the portal's edit page, which
keeps it valid and recomputes its quorum). Attendance and attachments are recorded
in the portal, where their checks live; here they are shown. Meetings and their
rows are scoped like the rest of the admin (`members.admin_scope`); rules and
quorums are reference data for the whole tree.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin
from supplychain_party.concurrency import VersionedAdminMixin

from . import services
from .models import Attachment, Attendance, ComplianceRule, Meeting, QuorumRule

MEETING_DATA_FIELDS = ("held_at", "topic", "place", "host", "recorder", "lecturer", "content",
                       "resolutions")


@admin.register(ComplianceRule)
class ComplianceRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "meeting_kind", "organisation_kind", "period", "minimum_count", "applies_when",
        "given_by", "is_enabled", "source",
    ]
    list_filter = ["is_enabled", "organisation_kind", "period", "applies_when", "given_by"]
    list_editable = ["minimum_count", "is_enabled"]
    search_fields = ["source", "note"]


@admin.register(QuorumRule)
class QuorumRuleAdmin(SimpleHistoryAdmin):
    list_display = ["meeting_kind", "voters", "more_than_percent", "is_enabled", "source"]
    list_filter = ["is_enabled"]
    list_editable = ["more_than_percent", "is_enabled"]
    search_fields = ["source", "note"]


class _ShownInline(ScopedInlineMixin, admin.TabularInline):
    """Rows recorded in the portal, shown with their meeting."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttendanceInline(_ShownInline):
    model = Attendance
    scope_path_fields = ("meeting__organisation__path",)
    fields = ["person", "status", "leave_reason", "signed_in_at", "makeup_done_on"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("person")


class AttachmentInline(_ShownInline):
    model = Attachment
    scope_path_fields = ("meeting__organisation__path",)
    fields = ["kind", "download", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, attachment: Attachment) -> str:
        # The scoped download view: media is never served raw.
        url = reverse("meetings:attachment_download", args=[attachment.meeting_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class MeetingAdminForm(forms.ModelForm):
    """Checks a meeting as the services do, so a refusal shows on the form."""

    class Meta:
        model = Meeting
        fields = ["organisation", "kind", *MEETING_DATA_FIELDS]

    def meeting_data(self) -> services.MeetingData:
        return services.MeetingData(
            **{name: self.cleaned_data.get(name) for name in MEETING_DATA_FIELDS
               if name in self.cleaned_data}
        )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation is None and self.instance.organisation_id:
            organisation = self.instance.organisation
        kind = cleaned.get("kind") or self.instance.kind
        if not (organisation and kind and cleaned.get("held_at") and cleaned.get("topic")):
            return cleaned  # the missing field already has its error
        try:
            services.meeting_validate(organisation=organisation, kind=kind,
                                      data=self.meeting_data())
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(VersionedAdminMixin, ServiceRefusalMixin, ScopedAdminMixin,
                   GuardedHistoryMixin, SimpleHistoryAdmin):
    form = MeetingAdminForm
    scope_path_fields = ("organisation__path",)
    list_display = ["topic", "organisation", "kind", "held_at", "status", "is_quorate"]
    list_filter = ["status", "is_quorate", "kind", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["topic", "organisation__name"]
    date_hierarchy = "held_at"
    autocomplete_fields = ["organisation", "host", "recorder", "lecturer"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "created_by", "created_at",
                       "quorum_voters", "quorum_present", "quorum_needed", "is_quorate"]
    inlines = [AttendanceInline, AttachmentInline]
    actions = ["submit_drafts"]

    def get_readonly_fields(self, request: HttpRequest, obj: Meeting | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The services never move a meeting or change its kind.
            readonly = ["organisation", "kind", *readonly]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Meeting | None = None) -> bool:
        if obj is not None and obj.is_submitted:
            return False  # final: shown, not edited here
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Meeting, form, change: bool) -> None:
        data = form.meeting_data()
        if change:
            # The admin edits the record; the attendance stays as recorded.
            attendance = [
                services.AttendanceEntry(row.person_id, row.status, row.leave_reason)
                for row in Attendance.objects.filter(meeting=obj)
            ]
            services.meeting_update(meeting=obj, data=data, attendance=attendance,
                                    by=request.user)
        else:
            meeting = services.meeting_create(
                organisation=form.cleaned_data["organisation"], kind=form.cleaned_data["kind"],
                data=data, by=request.user,
            )
            obj.pk = meeting.pk  # the admin's messages and redirect follow the new row

    @admin.action(description=_("Submit the selected drafts as held"),
                  permissions=["change"])
    def submit_drafts(self, request: HttpRequest, queryset: QuerySet[Meeting]) -> None:
        submitted = 0
        for meeting in queryset.drafts().select_related("organisation"):
            try:
                meeting = services.meeting_submit(meeting=meeting, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{meeting.topic}: {message}", messages.ERROR)
                continue
            submitted += 1
            if not meeting.is_quorate:
                self.message_user(request, f"{meeting.topic}: "
                                  f"{services.quorum_message(meeting)}", messages.WARNING)
        self.message_user(request, ngettext("%(n)d meeting submitted.",
                                            "%(n)d meetings submitted.", submitted)
                          % {"n": submitted})
