from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import BusinessNode
from supplychain_party.concurrency import VersionedFormMixin

from .models import Designation
from .services import PLEDGE_MAX_CHARS, DesignationData


class PledgeForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("My pledge"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=PLEDGE_MAX_CHARS,
        help_text=_(
            "What you promise to do in your post this year, in your own words. "
            "Once approved it shows on your member card."
        ),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=500)


class DesignationForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Designation.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible members"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    node = forms.ModelChoiceField(
        label=_("Business node"), queryset=BusinessNode.objects.all(), required=False
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    criteria = forms.CharField(
        label=_("Criteria"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people

    def designation_data(self) -> DesignationData:
        data = self.cleaned_data
        return DesignationData(
            kind=data["kind"],
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            node=data.get("node"),
            location=data.get("location", ""),
            criteria=data.get("criteria", ""),
        )
