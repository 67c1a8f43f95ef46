"""The committee's admin for study: materials with their assignments, the question
bank with its choices, quizzes, credit rules (edited here, seeded by a migration),
and the credit ledger and quiz attempts, read-only (written by the services only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin, ScopedInlineMixin

from .models import (
    Assignment,
    Choice,
    CreditEntry,
    CreditRule,
    Material,
    Question,
    Quiz,
    QuizAttempt,
    ReadRecord,
)
from .services import validate_material_file


class AssignmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Assignment
    scope_path_fields = ("organisation__path",)
    extra = 0
    fields = ["organisation", "due_on", "assigned_by"]
    readonly_fields = ["assigned_by"]
    autocomplete_fields = ["organisation"]


def _https_by_default(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class MaterialAdminForm(forms.ModelForm):
    """The same checks as the portal's form: a document is a real PDF or .docx."""

    class Meta:
        model = Material
        formfield_callback = _https_by_default
        fields = ["title", "kind", "organisation", "published_on", "body", "url", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.content_type = validate_material_file(upload)
        return upload


@admin.register(Material)
class MaterialAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    form = MaterialAdminForm
    scope_path_fields = ("organisation__path",)
    list_display = ["title", "kind", "organisation", "published_on"]
    list_filter = ["kind", "published_on"]
    list_select_related = ["organisation"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["original_name", "content_type", "created_by"]
    date_hierarchy = "published_on"
    inlines = [AssignmentInline]
    # An intranet address typed without a scheme is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Material, form, change: bool) -> None:
        content_type = getattr(form, "content_type", None)
        if content_type:
            obj.content_type = content_type
            obj.original_name = (form.cleaned_data["file"].name or "")[:200]
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 4
    fields = ["position", "text", "is_correct"]


@admin.register(Question)
class QuestionAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("material__organisation__path",)
    list_display = ["text", "material", "kind", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["material"]
    search_fields = ["text", "material__title"]
    autocomplete_fields = ["material"]
    inlines = [ChoiceInline]


@admin.register(Quiz)
class QuizAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("material__organisation__path",)
    list_display = [
        "material",
        "question_count",
        "pass_percent",
        "attempts_allowed",
        "retake_until_passed",
        "is_active",
    ]
    list_filter = ["is_active", "retake_until_passed"]
    list_select_related = ["material"]
    search_fields = ["material__title"]
    autocomplete_fields = ["material"]


@admin.register(CreditRule)
class CreditRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "event", "points", "monthly_cap", "is_active"]
    list_editable = ["points", "monthly_cap", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "note"]


class _ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Rows the services write; shown, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CreditEntry)
class CreditEntryAdmin(_ReadOnlyAdmin):
    scope_path_fields = ("person__branch__path",)
    list_display = ["person", "rule", "material", "points", "earned_on"]
    list_filter = ["rule", "earned_on"]
    list_select_related = ["person", "rule", "material"]
    search_fields = ["person__name", "material__title"]
    date_hierarchy = "earned_on"


@admin.register(QuizAttempt)
class QuizAttemptAdmin(_ReadOnlyAdmin):
    scope_path_fields = ("person__branch__path",)
    list_display = ["person", "quiz", "number", "score", "passed", "submitted_at"]
    list_filter = ["passed"]
    list_select_related = ["person", "quiz__material"]
    search_fields = ["person__name", "quiz__material__title"]
    exclude = ["token"]


@admin.register(ReadRecord)
class ReadRecordAdmin(_ReadOnlyAdmin):
    scope_path_fields = ("person__branch__path",)
    list_display = ["person", "material", "read_at"]
    list_select_related = ["person", "material"]
    search_fields = ["person__name", "material__title"]
