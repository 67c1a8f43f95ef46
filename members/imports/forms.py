"""The upload form; it checks the shape, the services check the file and the rows."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster sheet (.xlsx)"),
        help_text=_("An Excel workbook of at most 5 MB, with the template's columns."),
    )
