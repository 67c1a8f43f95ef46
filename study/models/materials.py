"""Study materials, the organisations they are assigned to, and who has read them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from members.models import Person


def material_file_path(instance: Material, filename: str) -> str:
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"study/{today:%Y/%m}/{filename}"


class Material(models.Model):
    """Something to study: an uploaded document, a link to an intranet video, or the
    topic of the month's central-group study (理论学习中心组)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        VIDEO = "video", _("Intranet video")
        TOPIC = "topic", _("Central-group study topic")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    body = models.TextField(_("text"), blank=True)
    url = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The intranet address of the video (http or https)."),
    )
    file = models.FileField(_("file"), upload_to=material_file_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="study_materials",
        verbose_name=_("published by"),
    )
    published_on = models.DateField(_("published on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="video") | ~Q(url=""),
                name="study_video_has_url",
                violation_error_message=_("An intranet video needs its link."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="document") | ~Q(file=""),
                name="study_document_has_file",
                violation_error_message=_("A document needs its file."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A material assigned to an organisation, due by a date. It applies to the whole
    subtree: the members of a branch study what is assigned to it or to any organisation
    above it."""

    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("material"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="study_assignments",
        verbose_name=_("organisation"),
    )
    due_on = models.DateField(_("due by"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("study assignment")
        verbose_name_plural = _("study assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "organisation"],
                name="study_assignment_once_per_organisation",
                violation_error_message=_(
                    "This material is already assigned to this organisation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} → {self.organisation}"


class ReadRecord(models.Model):
    """A member has read (or watched) a material; once per person and material."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="study_reads", verbose_name=_("person")
    )
    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="reads", verbose_name=_("material")
    )
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        ordering = ["-read_at", "pk"]
        verbose_name = _("read record")
        verbose_name_plural = _("read records")
        constraints = [
            models.UniqueConstraint(fields=["person", "material"], name="study_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.material}"
