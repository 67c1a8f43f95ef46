"""Forms for liaison and the ledger. They only parse input; the rules live in the
services (which refuse a past deadline, a visit outside reach, ...)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Person
from supplychain_party.concurrency import VersionedFormMixin

from .models import Campaign, Problem, ProblemCategory, Visit
from .services import Feedback, VisitData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Crispy:
    def _helper(self) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class VisitForm(VersionedFormMixin, _Crispy, forms.Form):
    visited = forms.ModelChoiceField(label=_("Person visited"), queryset=Person.objects.none())
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    method = forms.ChoiceField(label=_("How"), choices=Visit.Method.choices)
    discussion = forms.CharField(label=_("What was discussed"),
                                 widget=forms.Textarea(attrs={"rows": 4}))
    opinions = forms.CharField(
        label=_("Opinions and requests raised"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line; each can later be registered as a problem."),
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), required=False,
                                      queryset=Campaign.objects.none())

    def __init__(self, *args, reach, campaigns, with_opinions: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited"].queryset = reach.order_by("name", "pk")
        self.fields["campaign"].queryset = campaigns
        if not with_opinions:
            del self.fields["opinions"]
        self._helper()

    def visit_data(self) -> VisitData:
        data = self.cleaned_data
        return VisitData(visited=data["visited"], visited_on=data["visited_on"],
                         method=data["method"], discussion=data["discussion"],
                         campaign=data.get("campaign"))

    def opinion_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("opinions", "").splitlines()
                if line.strip()]


class ProblemForm(_Crispy, forms.Form):
    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ModelChoiceField(label=_("Category"),
                                      queryset=ProblemCategory.objects.filter(is_active=True))
    organisation = forms.ModelChoiceField(label=_("Responsible organisation"), queryset=None)
    owner = forms.ModelChoiceField(label=_("Person responsible"), queryset=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["owner"].queryset = people.filter(is_active=True).order_by("name", "pk")
        self._helper()


class TransitionForm(forms.Form):
    """The fields a move may need; the service says which it requires."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    feedback_method = forms.ChoiceField(required=False,
                                        choices=[("", "—"), *Problem.FeedbackMethod.choices])
    satisfied = forms.TypedChoiceField(required=False, coerce=lambda v: v == "yes",
                                       choices=[("", "—"), ("yes", _("Satisfied")),
                                                ("no", _("Not satisfied"))])
    deadline = forms.DateField(required=False, widget=DATE)

    def feedback(self) -> Feedback | None:
        data = self.cleaned_data
        if not data.get("feedback_method") or data.get("satisfied") in (None, ""):
            return None
        return Feedback(method=data["feedback_method"], satisfied=data["satisfied"])


class CampaignForm(_Crispy, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "starts_on", "ends_on", "description"]
        widgets = {"starts_on": DATE, "ends_on": DATE,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class OpinionForm(_Crispy, forms.Form):
    raised_by = forms.ModelChoiceField(label=_("Raised by"), queryset=None)
    raised_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = people.filter(is_active=True).order_by("name", "pk")
        self._helper()
