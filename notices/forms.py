"""Forms for notices. They only parse input; the rules live in the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from supplychain_party.concurrency import VersionedFormMixin

from .models import Notice
from .services import NoticeData
from .services.uploads import ACCEPTED


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(ACCEPTED))}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class NoticeForm(VersionedFormMixin, forms.ModelForm):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or images; several files at once."),
    )

    class Meta:
        model = Notice
        fields = ["title", "importance", "expires_on", "body"]
        widgets = {
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def notice_data(self) -> NoticeData:
        data = self.cleaned_data
        return NoticeData(
            title=data["title"],
            body=data["body"],
            importance=data["importance"],
            expires_on=data.get("expires_on"),
        )


class AttachmentsForm(forms.Form):
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", _("Upload")))
