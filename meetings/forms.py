"""Forms for logging meetings. They only parse input; the rules live in the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from members.models import Person
from supplychain_party.concurrency import VersionedFormMixin

from .models import Attachment, Attendance, Meeting, MeetingKind
from .selectors import subtree_people
from .services import AttendanceEntry, MeetingData


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "held_at",
            "place",
            "topic",
            "host",
            "recorder",
            "lecturer",
            "content",
            "resolutions",
        ]
        widgets = {
            "held_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "content": forms.Textarea(attrs={"rows": 6}),
            "resolutions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation: Organisation, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        people = subtree_people(organisation).filter(is_active=True).order_by("name", "pk")
        for name in ("host", "recorder", "lecturer"):
            self.fields[name].queryset = people
        if kind != MeetingKind.PARTY_LESSON:
            del self.fields["lecturer"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def meeting_data(self) -> MeetingData:
        data = self.cleaned_data
        return MeetingData(
            held_at=data["held_at"],
            topic=data["topic"],
            place=data["place"],
            host=data["host"],
            recorder=data["recorder"],
            lecturer=data.get("lecturer"),
            content=data["content"],
            resolutions=data["resolutions"],
        )


class AttendanceRowForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    # Rendered field by field in a table, so the Bootstrap classes are set here.
    status = forms.ChoiceField(
        label=_("attendance"),
        choices=Attendance.Status.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    leave_reason = forms.CharField(
        label=_("reason for leave"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Attendance.Status.LEAVE
            and not data.get("leave_reason", "").strip()
        ):
            self.add_error("leave_reason", _("Give the reason for the leave."))
        return data


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=0)


def attendance_entries(formset) -> list[AttendanceEntry]:
    return [
        AttendanceEntry(
            form.cleaned_data["person"],
            form.cleaned_data["status"],
            form.cleaned_data.get("leave_reason", ""),
        )
        for form in formset.forms
        if form.cleaned_data
    ]


def attendance_initial(expected, existing: dict[int, Attendance]) -> list[dict]:
    """One row per expected member (then anyone else already listed), pre-filled."""
    rows = []
    seen = set()
    for person in expected:
        row = existing.get(person.pk)
        rows.append(
            {
                "person": person.pk,
                "name": person.name,
                "status": row.status if row else Attendance.Status.PRESENT,
                "leave_reason": row.leave_reason if row else "",
            }
        )
        seen.add(person.pk)
    for person_id, row in existing.items():
        if person_id not in seen:
            rows.append(
                {
                    "person": person_id,
                    "name": row.person.name,
                    "status": row.status,
                    "leave_reason": row.leave_reason,
                }
            )
    return rows


def posted_person(form) -> int:
    """The person an attendance row was posted for; 0 when the value is no id at all
    (a tampered or truncated form), so the page is shown again instead of failing."""
    value = str(form.data.get(f"{form.prefix}-person") or "")
    return int(value) if value.isdecimal() and len(value) < 19 else 0


def names_of(ids) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=Attachment.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("file"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
