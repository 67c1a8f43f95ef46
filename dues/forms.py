"""Forms for dues. They only parse input; the rules (ranges, months, the ceiling on an
income) live in the services, whose messages the views show on the form."""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Payment
from .services import DeclarationData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [(m, f"{m}") for m in range(1, 13)]


class _Crispy:
    def _helper(self) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class _Token(forms.Form):
    """A hidden token, new for each rendered form: the same form posted twice records
    once."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class DeclarationForm(_Crispy, forms.Form):
    year = forms.IntegerField(label=_("Year"))
    from_month = forms.TypedChoiceField(label=_("In force from month"), choices=MONTHS, coerce=int)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    # No digit limits here: the service refuses a negative or implausible figure with
    # a message that says why, instead of a generic "too many digits".
    monthly_income = forms.DecimalField(
        label=_("Monthly after-tax income (yuan)"),
        help_text=_(
            "Salary after tax for working members, the pension for retirees; 0 for "
            "students and low-income members."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def data_object(self) -> DeclarationData:
        d = self.cleaned_data
        return DeclarationData(
            year=d["year"],
            from_month=d["from_month"],
            category=d["category"],
            monthly_income=d["monthly_income"],
        )


class PaymentForm(_Crispy, _Token):
    month = forms.DateField(
        label=_("Month paid for"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"))
    method = forms.ChoiceField(label=_("How"), choices=Payment.Method.choices)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class CorrectionForm(_Crispy, _Token):
    amount = forms.DecimalField(
        label=_("Change (yuan)"),
        help_text=_("Negative to take back part of the payment, positive to add to it."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class PayAllForm(_Token):
    method = forms.ChoiceField(label=_("How"), choices=Payment.Method.choices)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
