"""The record of a roster import (imported into `members.models`, app label `members`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organisation
from supplychain_party.models import SheetImport


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, scope, user) -> RosterImportQuerySet:
        """The user's own uploads, and the imports made for organisations in their
        scope: a secretary's imports are read by the general branch and the committee."""
        if scope.sees_all:
            return self
        return self.filter(uploaded_by=user) | scope.within(self, "organisation__path")


class RosterImport(SheetImport):
    """An uploaded roster sheet between its preview and its confirmation, then the
    record of the import: who, when, which file, for which organisation, what it did.
    The bytes stay after the import, so that what was imported can be looked at later."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported for"),
        help_text=_("The widest organisation the importer leads; its leaders read the record."),
    )
    # PROTECT: an import is part of the register's audit trail; logins are deactivated,
    # not deleted.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # A roster's rows are people: the counts say so.
    created_count = models.PositiveIntegerField(_("people added"), default=0)
    updated_count = models.PositiveIntegerField(_("people changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("people unchanged"), default=0)
    # The file stays out of the history: the row keeps it once.
    history = HistoricalRecords(excluded_fields=["content"])

    objects = RosterImportQuerySet.as_manager()

    class Meta(SheetImport.Meta):
        app_label = "members"
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
