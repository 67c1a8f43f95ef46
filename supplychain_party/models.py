"""What several apps' models share; abstract only, so this app has no tables."""

from collections.abc import Mapping
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """An uploaded file kept with a record (a meeting, a notice), served only through
    its app's scoped download view. Each subclass declares its own `file` field, whose
    `upload_to` names its folder."""

    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
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
        abstract = True
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class SheetImport(models.Model):
    """An uploaded Excel sheet kept between its preview and its confirmation, then the
    record of the import: the file, its state and what its rows did.

    The file's bytes are kept, not the parsed rows, so that the confirmation reads and
    validates the sheet again against the database as it is then. Each subclass declares
    its own `uploaded_by` (whether an upload outlives its uploader is the app's rule)
    and what the sheet is for (a week, an organisation)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("file content"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("rows changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def row_count(self) -> int:
        return self.created_count + self.updated_count + self.unchanged_count

    def counts(self) -> dict[str, int]:
        """What the import did, by the keys its rows' actions use."""
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
        }

    def lock_pending(self) -> Self:
        """This import again, locked for its confirmation. Refused unless it is still
        pending, so that a second confirmation (or one after a discard) does nothing."""
        batch = type(self)._default_manager.select_for_update().get(pk=self.pk)
        if batch.status != self.Status.PENDING:
            raise ValidationError(
                gettext("This sheet was already imported or discarded."), code="not_pending"
            )
        return batch

    def mark_imported(self, counts: Mapping[str, int]) -> None:
        """Record the confirmed import and what its rows did (`counts` by action), on
        the row that `lock_pending` returned."""
        self.status = self.Status.IMPORTED
        self.imported_at = timezone.now()
        self.created_count = counts["created"]
        self.updated_count = counts["updated"]
        self.unchanged_count = counts["unchanged"]
        self.save()

    def discard(self) -> bool:
        """Drop a pending sheet and its bytes; False when it was no longer pending. One
        conditional UPDATE, so a discard cannot undo a confirmation that got there
        first."""
        pending = type(self)._default_manager.filter(pk=self.pk, status=self.Status.PENDING)
        return bool(pending.update(status=self.Status.DISCARDED, content=b""))
