"""The committee's admin for notices: reviewed, corrected while drafts, published and
withdrawn by actions; all through the services, scoped like the rest of the admin.

Attachments are uploaded in the portal (where their content checks live) and shown
here with a link to the scoped download view; receipts are read-only.
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
from .models import Notice, NoticeAttachment, NoticeReceipt

DATA_FIELDS = ("title", "body", "importance", "expires_on")


class NoticeAttachmentInline(ScopedInlineMixin, admin.TabularInline):
    model = NoticeAttachment
    scope_path_fields = ("notice__organisation__path",)
    extra = 0
    can_delete = False
    fields = ["download", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, attachment: NoticeAttachment) -> str:
        url = reverse("notices:attachment_download", args=[attachment.notice_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class NoticeAdminForm(forms.ModelForm):
    """Checks a notice as the services do, so a refusal shows on the form."""

    class Meta:
        model = Notice
        fields = ["organisation", *DATA_FIELDS]

    def notice_data(self) -> services.NoticeData:
        return services.NoticeData(**{name: self.cleaned_data.get(name) for name in DATA_FIELDS})

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or (
            self.instance.organisation if self.instance.organisation_id else None
        )
        if organisation is None or not cleaned.get("title") or not cleaned.get("body"):
            return cleaned  # the missing field already has its error
        try:
            services.notice_validate(organisation=organisation, data=self.notice_data())
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Notice)
class NoticeAdmin(
    VersionedAdminMixin,
    ServiceRefusalMixin,
    ScopedAdminMixin,
    GuardedHistoryMixin,
    SimpleHistoryAdmin,
):
    form = NoticeAdminForm
    scope_path_fields = ("organisation__path",)
    list_display = ["title", "organisation", "importance", "status", "published_at", "expires_on"]
    list_filter = ["status", "importance", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["title", "body", "organisation__name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "status",
        "published_at",
        "published_by",
        "withdrawn_at",
        "created_by",
        "created_at",
    ]
    inlines = [NoticeAttachmentInline]
    actions = ["publish_drafts", "withdraw_published"]

    def get_readonly_fields(self, request: HttpRequest, obj: Notice | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly = ["organisation", *readonly]  # a notice never changes its sender
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        if obj is not None and not obj.is_draft:
            return False  # published or withdrawn: final, shown
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Notice, form, change: bool) -> None:
        if change:
            services.notice_update(notice=obj, data=form.notice_data(), by=request.user)
        else:
            notice = services.notice_create(
                organisation=form.cleaned_data["organisation"],
                data=form.notice_data(),
                by=request.user,
            )
            obj.pk = notice.pk  # the admin's messages and redirect follow the new row

    def delete_model(self, request: HttpRequest, obj: Notice) -> None:
        services.notice_delete(notice=obj, by=request.user)

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        published = 0
        for notice in queryset.filter(status=Notice.Status.DRAFT):
            try:
                published += services.notice_publish(notice=notice, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{notice.title}: {message}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(n)d notice published.", "%(n)d notices published.", published)
            % {"n": published},
        )

    @admin.action(description=_("Withdraw the selected notices"), permissions=["change"])
    def withdraw_published(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        withdrawn = 0
        for notice in queryset.filter(status=Notice.Status.PUBLISHED):
            withdrawn += services.notice_withdraw(notice=notice, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d notice withdrawn.", "%(n)d notices withdrawn.", withdrawn)
            % {"n": withdrawn},
        )


@admin.register(NoticeReceipt)
class NoticeReceiptAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who was addressed and who has read: written by the portal, shown here."""

    scope_path_fields = ("notice__organisation__path",)
    list_display = ["notice", "person", "branch", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "notice__importance"]
    list_select_related = ["notice", "person", "branch"]
    search_fields = ["person__name", "notice__title"]
    autocomplete_fields = ["notice", "person", "branch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
