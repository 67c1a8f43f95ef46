"""Forms of the service team app; they check shapes, the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Person
from supplychain_party.concurrency import VersionedFormMixin

from .models import ContractStage, ServiceRecord, TeamMember, TenderingStage
from .services import RecordData

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"})


class TeamMemberForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(choices=TeamMember.Role.choices, label=_("Role"))
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.filter(
            is_active=True, status__in=TeamMember.ELIGIBLE_STATUSES
        ).order_by("name", "pk")


class RecordForm(VersionedFormMixin, forms.Form):
    served_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(choices=ServiceRecord.Kind.choices, label=_("Kind of service"))
    unit_kind = forms.ChoiceField(
        choices=ServiceRecord.UnitKind.choices, label=_("Unit served is a")
    )
    unit_name = forms.CharField(max_length=200, label=_("Unit served"))
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        label=_("Members who went"),
        widget=forms.CheckboxSelectMultiple,
    )
    work_done = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was done"))
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Outcome")
    )
    follow_up = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Follow-up")
    )

    def __init__(self, *args, roster_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = roster_people

    def record_data(self) -> RecordData:
        data = self.cleaned_data
        return RecordData(
            served_on=data["served_on"],
            kind=data["kind"],
            unit_kind=data["unit_kind"],
            unit_name=data["unit_name"],
            work_done=data["work_done"],
            outcome=data["outcome"],
            follow_up=data["follow_up"],
        )


class StatusForm(forms.Form):
    week = forms.DateField(
        label=_("Week"),
        widget=DATE,
        help_text=_("Any day of the week; the status is kept under its Monday."),
    )
    plan_allocation = forms.IntegerField(min_value=0, max_value=100, label=_("Plan allocation (%)"))
    tendering = forms.ChoiceField(choices=TenderingStage.choices, label=_("Tendering"))
    contract = forms.ChoiceField(choices=ContractStage.choices, label=_("Contract settlement"))
    arrival = forms.IntegerField(min_value=0, max_value=100, label=_("Arrival (%)"))
    is_delayed = forms.BooleanField(required=False, label=_("Behind schedule"))
    remarks = forms.CharField(max_length=500, required=False, label=_("Remarks"))
    reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("Reason for amending"),
        help_text=_("Needed when a past week's status is corrected."),
    )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "plan_allocation",
                "tendering",
                "contract",
                "arrival",
                "is_delayed",
                "remarks",
            )
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Weekly sheet (.xlsx)"))
    week = forms.DateField(
        label=_("Week"), widget=DATE, help_text=_("Any day of the week the sheet reports on.")
    )
    reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("Reason for amending"),
        help_text=_("Needed when the sheet corrects a past week."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Only Excel workbooks (.xlsx) can be imported; save the sheet as .xlsx.")
            )
        return upload
