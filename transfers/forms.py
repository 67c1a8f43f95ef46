"""The transfer letter form. It only parses input; the rules (a current member of the
branch, one open transfer per person, a letter number once a year) live in the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from members.models import Person

from .models import Transfer
from .services import TransferData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TransferForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Transfer.Direction.choices)
    person = forms.ModelChoiceField(label=_("Member"), queryset=Person.objects.none())
    from_branch = forms.ModelChoiceField(
        label=_("From branch"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Within the organisation and out: the branch the member leaves."),
    )
    to_branch = forms.ModelChoiceField(
        label=_("To branch"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Within the organisation and in: the branch the member joins."),
    )
    outside_organisation = forms.CharField(
        label=_("Outside organisation"),
        required=False,
        max_length=150,
        help_text=_("Out and in: the party organisation outside the tree."),
    )
    letter_no = forms.CharField(label=_("Letter number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, people, own_branches, all_branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["from_branch"].queryset = own_branches
        self.fields["to_branch"].queryset = all_branches
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def data_object(self) -> TransferData:
        d = self.cleaned_data
        direction = d["direction"]
        return TransferData(
            person=d["person"],
            direction=direction,
            letter_no=d["letter_no"],
            issued_on=d["issued_on"],
            effective_on=d["effective_on"],
            from_branch=d["from_branch"] if direction != Transfer.Direction.IN else None,
            to_branch=d["to_branch"] if direction != Transfer.Direction.OUT else None,
            outside_organisation=d["outside_organisation"],
            reason=d["reason"],
        )
