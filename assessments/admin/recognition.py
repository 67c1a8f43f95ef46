"""Monthly recognition in the admin: red flag weights, red flags and post stars."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ServiceRefusalMixin, dry_run
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin

from .. import services
from ..models import PostStar, RedFlag, RedFlagWeight


@admin.register(RedFlagWeight)
class RedFlagWeightAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "weight", "target", "is_enabled"]
    list_editable = ["weight", "target", "is_enabled"]
    list_filter = ["is_enabled"]


class RedFlagForm(forms.ModelForm):
    class Meta:
        model = RedFlag
        fields = ["month"]
        help_texts = {"month": _("Any day of the month: the flag goes to the best branch by "
                                 "the red flag rule.")}

    def clean_month(self):
        month = self.cleaned_data["month"]
        try:
            dry_run(services.red_flag_award, month=month)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return services.first_of_month(month)


@admin.register(RedFlag)
class RedFlagAdmin(ServiceRefusalMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    form = RedFlagForm
    list_display = ["month", "branch", "score", "awarded_at", "awarded_by"]
    list_select_related = ["branch", "awarded_by"]
    date_hierarchy = "month"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["month", "branch", "score", "evidence", "awarded_at", "awarded_by"]

    def get_fields(self, request, obj=None):
        return ["month"] if obj is None else self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        flag = services.red_flag_award(month=form.cleaned_data["month"], by=request.user)
        obj.pk = flag.pk


class PostStarForm(forms.ModelForm):
    class Meta:
        model = PostStar
        fields = ["month", "branch", "person", "reason"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                dry_run(services.post_star_award, branch=cleaned["branch"],
                        person=cleaned["person"], month=cleaned["month"],
                        reason=cleaned.get("reason", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(PostStar)
class PostStarAdmin(ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin,
                    SimpleHistoryAdmin):
    form = PostStarForm
    scope_path_fields = ("branch__path",)
    list_display = ["month", "branch", "person", "reason"]
    list_select_related = ["branch", "person"]
    list_filter = ["month"]
    search_fields = ["person__name", "branch__name"]
    autocomplete_fields = ["branch", "person"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["month", "branch", "person"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        star = services.post_star_award(branch=obj.branch, person=obj.person, month=obj.month,
                                        reason=obj.reason)
        obj.pk = star.pk
