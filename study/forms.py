"""Forms for study pages. They only parse input; the rules live in the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Material, Question


class MaterialForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Published by"))
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    published_on = forms.DateField(
        label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    url = forms.CharField(
        label=_("Video link"),
        required=False,
        max_length=500,
        help_text=_("For an intranet video: its address (http or https)."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("For a document: a PDF or Word (.docx) file.")
    )
    due_on = forms.DateField(
        label=_("Due by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Assign it to the publishing organisation (and so "
            "its whole subtree) by this date; leave empty to "
            "assign later."
        ),
    )

    def __init__(self, *args, organisations: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.form_tag = False


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("Organisation"),
        help_text=_("The material applies to the organisation and everything below it."),
    )
    due_on = forms.DateField(label=_("Due by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisations: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.form_tag = False


def answers_from(data, questions: list[Question]) -> dict[str, list[str]]:
    """The chosen answers per question, as posted (`q<question id>` fields)."""
    return {str(q.pk): data.getlist(f"q{q.pk}") for q in questions}
