"""The company's own rules and measures as a library of versioned documents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation


class Document(models.Model):
    """A rule, measure or scheme the company wrote; its versions are kept."""

    class Category(models.TextChoices):
        RULE = "rule", _("Rule")
        MEASURE = "measure", _("Measure")
        SCHEME = "scheme", _("Scheme")

    class Visibility(models.TextChoices):
        COMPANY = "company", _("Whole company")
        SUBTREE = "subtree", _("The owner's subtree")

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("owner"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.COMPANY
    )
    description = models.TextField(_("description"), blank=True)
    # The highest version number, kept by `version_add` (under a row lock) so the next
    # number is never taken twice.
    current_number = models.PositiveIntegerField(_("current version"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "title", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"],
                name="one_document_per_title",
                violation_error_message=_(
                    "This organisation already has a document with this title."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


def version_path(instance: DocumentVersion, filename: str) -> str:
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"documents/{today:%Y/%m}/{instance.document_id}/{filename}"


class DocumentVersion(models.Model):
    """One uploaded version; the current one is the highest number."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("document"),
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    changes = models.TextField(_("changes"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
