"""What a notice may carry: documents, images and slides, checked by content
(`supplychain_party.uploads`)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from supplychain_party import uploads

ACCEPTED = (*uploads.DOCUMENTS, ".pptx")


def max_bytes() -> int:
    return getattr(settings, "NOTICES_ATTACHMENT_MAX_BYTES", uploads.DEFAULT_MAX_BYTES)


def validate_upload(upload: UploadedFile) -> str:
    """Refuse a file of another type, too large, or whose content is not what its name
    says; return the content type to serve it with."""
    return uploads.validate_upload(upload, accepted=ACCEPTED, max_bytes=max_bytes())
