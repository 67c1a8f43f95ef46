"""Forms for the development pages. They only parse input; the rules (order, durations,
who may be a contact or an introducer) live in the services, which give the messages."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Person

from .models import MentorPair
from .services import Decision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Form(forms.Form):
    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
                field.queryset = people if people is not None else Person.objects.none()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key, value in data.items():
            if isinstance(self.fields[key], forms.ModelMultipleChoiceField):
                data[key] = list(value)
        return data


class OpenForm(_Form):
    person = forms.ModelChoiceField(label=_("Applicant"), queryset=Person.objects.none())
    applied_on = forms.DateField(label=_("Application received on"), widget=DATE)


class TalkForm(_Form):
    on = forms.DateField(label=_("Talk held on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ActivistForm(_Form):
    on = forms.DateField(label=_("Branch committee decision on"), widget=DATE)
    filed_on = forms.DateField(label=_("Filed with the higher committee on"), widget=DATE)
    contacts = forms.ModelMultipleChoiceField(
        label=_("Cultivating contacts"),
        queryset=Person.objects.none(),
        help_text=_("One or two full members."),
    )


class AssessForm(_Form):
    on = forms.DateField(label=_("Assessed on"), widget=DATE)
    conclusion = forms.CharField(label=_("Conclusion"), max_length=200)


class DateOnlyForm(_Form):
    on = forms.DateField(label=_("Date"), widget=DATE)


class ReviewForm(_Form):
    on = forms.DateField(label=_("Review concluded on"), widget=DATE)
    conclusion = forms.CharField(label=_("Conclusion"), max_length=200)


class TrainForm(_Form):
    start = forms.DateField(label=_("Training from"), widget=DATE)
    end = forms.DateField(label=_("Training until"), widget=DATE)
    days = forms.IntegerField(label=_("Days"), min_value=0, initial=0)
    hours = forms.IntegerField(label=_("Class hours"), min_value=0, initial=0)


class IntroducersForm(_Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Introducers"), queryset=Person.objects.none(), help_text=_("Two full members.")
    )
    on = forms.DateField(label=_("Named on"), widget=DATE)


class ConcludeForm(_Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.FULL, _("Full membership")),
            (Decision.EXTEND, _("Extend the probation")),
            (Decision.CANCEL, _("Cancel the probationary membership")),
        ],
    )
    on = forms.DateField(label=_("Branch general meeting on"), widget=DATE)
    months = forms.IntegerField(label=_("Extension (months)"), required=False, min_value=1)


class WithdrawForm(_Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


STEP_FORMS: dict[str, type[_Form]] = {
    "talk": TalkForm,
    "activist": ActivistForm,
    "assess": AssessForm,
    "candidate": DateOnlyForm,
    "review": ReviewForm,
    "train": TrainForm,
    "introducers": IntroducersForm,
    "admit": DateOnlyForm,
    "approve": DateOnlyForm,
    "conclude": ConcludeForm,
    "withdraw": WithdrawForm,
}


class MentorPairForm(_Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MentorPair.Kind.choices)
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Person.objects.none())
    mentee = forms.ModelChoiceField(label=_("Mentee"), queryset=Person.objects.none())
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 2}))
    started_on = forms.DateField(label=_("From"), widget=DATE)


class MentorPairCloseForm(_Form):
    ended_on = forms.DateField(label=_("Until"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
