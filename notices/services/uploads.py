"""Checks on an uploaded file: its extension, its size and what it really contains.

The declared content type is the browser's guess (Word files often arrive as
application/octet-stream), so it is not trusted: the file's first bytes decide, and
for the zip-based Office formats the archive must hold an Office document.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office formats (doc, xls)
_ZIP = b"PK\x03\x04"

# Extension -> (content type served back, leading bytes of a real file, zip-based Office
# folder the archive must contain, if any).
ACCEPTED: dict[str, tuple[str, bytes, str | None]] = {
    ".pdf": ("application/pdf", b"%PDF-", None),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n", None),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff", None),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff", None),
    ".doc": ("application/msword", _OLE, None),
    ".xls": ("application/vnd.ms-excel", _OLE, None),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
        "word/",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP, "xl/"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
        "ppt/",
    ),
}


def max_bytes() -> int:
    return getattr(settings, "NOTICES_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _is_office_zip(upload: UploadedFile, folder: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def validate_upload(upload: UploadedFile) -> str:
    """Refuse a file of another type, too large, or whose content is not what its name
    says; return the content type to serve it with."""
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ACCEPTED:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type; accepted: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(sorted(ACCEPTED))},
            code="file_type",
        )
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the largest accepted file is %(max).0f MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "max": limit / 1024 / 1024},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    content_type, signature, folder = ACCEPTED[extension]
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if not head.startswith(signature) or (folder and not _is_office_zip(upload, folder)):
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (%(ext)s); upload the original file.")
            % {"name": name, "ext": extension},
            code="file_content",
        )
    return content_type
