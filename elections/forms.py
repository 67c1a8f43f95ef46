"""Forms for terms and elections. They only parse input; the rules (quorum, votes
within those present, the contested 20%) live in the services and the tally."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Person
from supplychain_party.concurrency import VersionedFormMixin

from .models import Candidate, Election

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Crispy:
    def _helper(self) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class TermForm(_Crispy, forms.Form):
    started_on = forms.DateField(
        label=_("Term started on"),
        widget=DATE,
        help_text=_("The day the current committee was elected."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ElectionForm(VersionedFormMixin, _Crispy, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of election"), choices=Election.Kind.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=15)
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE)
    is_contested = forms.BooleanField(
        label=_("Contested (差额选举)"),
        required=False,
        initial=True,
        help_text=_("In a contested election the candidates exceed the seats by at least 20%."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
        self._helper()


class CandidateForm(_Crispy, forms.Form):
    person = forms.ModelChoiceField(label=_("Candidate"), queryset=Person.objects.none())

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = eligible
        self._helper()


class ApprovalForm(_Crispy, forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)
    document = forms.CharField(label=_("Approval document no."), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class VoteForm(_Crispy, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    entitled = forms.IntegerField(
        label=_("Members entitled to vote"),
        min_value=1,
        help_text=_("Full members with voting rights; probationary members have no vote."),
    )
    present = forms.IntegerField(label=_("Members present"), min_value=0)
    valid_ballots = forms.IntegerField(label=_("Valid ballots"), min_value=0)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=_("Yes votes for %(name)s") % {"name": candidate.person.name},
                min_value=0,
                initial=candidate.votes,
            )
        self._helper()

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}


class ConfirmForm(_Crispy, forms.Form):
    effective_on = forms.DateField(label=_("Result effective on"), widget=DATE)

    def __init__(self, *args, elected, **kwargs):
        super().__init__(*args, **kwargs)
        self.elected = elected
        choices = [("", "---------")] + [
            (value, label) for value, label in Candidate._meta.get_field("role").choices
        ]
        for candidate in elected:
            self.fields[f"role_{candidate.pk}"] = forms.ChoiceField(
                label=_("Post of %(name)s") % {"name": candidate.person.name},
                choices=choices,
                initial=candidate.role,
            )
        self._helper()

    def roles(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"role_{c.pk}"] for c in self.elected}
