"""Checks on an uploaded file: its extension, its size and what it really contains.

One check for every app that takes files (meeting attachments, notices, study
materials, the document library). The declared content type is the browser's guess
(Word files often arrive as application/octet-stream), so it is not trusted: the
file's first bytes decide, and a zip-based Office file must hold an Office document.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office formats (doc, xls)
_ZIP = b"PK\x03\x04"

# Extension -> (content type served back, leading bytes of a real file, the part a
# zip-based Office archive must contain, if any).
KNOWN: dict[str, tuple[str, bytes, str | None]] = {
    ".pdf": ("application/pdf", b"%PDF-", None),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n", None),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff", None),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff", None),
    ".doc": ("application/msword", _OLE, None),
    ".xls": ("application/vnd.ms-excel", _OLE, None),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
        "word/document.xml",
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ZIP,
        "xl/workbook.xml",
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
        "ppt/presentation.xml",
    ),
}
DOCUMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".png", ".jpg", ".jpeg")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _zip_holds(upload: UploadedFile, part: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def validate_upload(
    upload: UploadedFile, *, accepted: Iterable[str] = DOCUMENTS, max_bytes: int = DEFAULT_MAX_BYTES
) -> str:
    """Refuse a file of a type not `accepted`, too large, empty, or whose content is not
    what its name says; return the content type to serve it with."""
    accepted = tuple(accepted)
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in accepted:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type; accepted: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(sorted(accepted))},
            code="file_type",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the largest accepted file is %(max).0f MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "max": max_bytes / 1024 / 1024},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    content_type, signature, part = KNOWN[extension]
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature or (part and not _zip_holds(upload, part)):
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (%(ext)s); upload the original file.")
            % {"name": name, "ext": extension},
            code="file_content",
        )
    return content_type
