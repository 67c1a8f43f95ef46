from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Person
from supplychain_party.concurrency import VersionedFormMixin

from .models import Activity, Document
from .services import ActivityData, SpeakerEntry


class ActivityForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    member_speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers from our people"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    outside_speakers = forms.CharField(
        label=_("Outside speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: name, then optionally a colon and the topic."),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_speakers"].queryset = Person.objects.active().order_by("name", "pk")
        self.fields["attendees"].queryset = people

    def activity_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            place=data.get("place", ""),
            summary=data.get("summary", ""),
        )

    def speaker_entries(self) -> list[SpeakerEntry]:
        entries = [SpeakerEntry(person=p) for p in self.cleaned_data["member_speakers"]]
        for line in (self.cleaned_data.get("outside_speakers") or "").splitlines():
            name, _sep, topic = line.replace("：", ":").partition(":")
            if name.strip():
                entries.append(
                    SpeakerEntry(outside_name=name.strip()[:100], topic=topic.strip()[:200])
                )
        return entries


class ProgressForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Document.Category.choices)
    organisation = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Document.Visibility.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("File"), help_text=_("pdf, docx, xlsx, doc, xls, png or jpg."))
    changes = forms.CharField(label=_("Note on this version"), required=False, max_length=500)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    changes = forms.CharField(label=_("What changed"), max_length=500)
