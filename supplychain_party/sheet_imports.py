"""What the portal's sheet imports (the roster, the weekly supply sheet) share beyond
reading the file (`spreadsheets`) and keeping it (`models.SheetImport`): how a refused
sheet becomes the error that the upload and the confirmation raise, and how the
confirmation's page reports it."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .spreadsheets import RowError, SheetRefused

# The confirmation page shows this many of a refused sheet's row errors; the preview
# lists them all.
SHOWN_ERRORS = 20


def refused_error(refused: SheetRefused) -> ValidationError:
    """A file that cannot be read as the sheet, as the upload form's error."""
    return ValidationError(str(refused), code="sheet_refused")


def row_errors_error(errors: Iterable[RowError]) -> ValidationError:
    """A sheet's row errors as one error, a message per row error: a sheet with any is
    refused whole."""
    return ValidationError(
        [
            _("Row %(row)d, %(column)s: %(message)s")
            % {"row": e.row, "column": e.column, "message": e.message}
            for e in errors
        ],
        code="row_errors",
    )


def report_not_imported(request: HttpRequest, error: ValidationError) -> None:
    """Tell the user why a confirmation was refused, and that nothing was imported."""
    for message in error.messages[:SHOWN_ERRORS]:
        messages.error(request, message)
    messages.error(request, _("Nothing was imported."))
