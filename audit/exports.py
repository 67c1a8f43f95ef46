"""The columns of the download trail (who took which file): its page's table head and its
Excel export (`supplychain_party.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from supplychain_party.exports import Column

DOWNLOAD_COLUMNS = (
    Column(_("Downloaded at"), lambda d: d.at),
    Column(_("Username"), lambda d: d.username),
    Column(_("File name"), lambda d: d.filename or "—", width=40),
    Column(_("Page"), lambda d: d.path, width=40),
    Column(_("Filters"), lambda d: d.query or "—", width=30),
    Column(_("Size (bytes)"), lambda d: d.size if d.size is not None else "—", numeric=True),
    Column(_("Address"), lambda d: d.ip or "—"),
)
