"""The document library: documents and their versions, with upload checks by content."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.access import scope_for
from supplychain_party import uploads

from ..models import Document, DocumentVersion

DEFAULT_MAX_BYTES = uploads.DEFAULT_MAX_BYTES


def validate_upload(upload: UploadedFile | None) -> str:
    """Check a document version (pdf, Office, images) by its content and size; return
    its content type."""
    if upload is None:
        raise ValidationError(_("Choose a file."), code="file_missing")
    limit = getattr(settings, "ACTIVITIES_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    return uploads.validate_upload(upload, accepted=uploads.DOCUMENTS, max_bytes=limit)


def _add_version(
    document: Document,
    upload: UploadedFile,
    content_type: str,
    changes: str,
    by: AbstractBaseUser | None,
) -> DocumentVersion:
    document.current_number += 1
    document.save(update_fields=["current_number"])
    return DocumentVersion.objects.create(
        document=document,
        number=document.current_number,
        file=upload,
        original_name=(upload.name or "")[:200],
        content_type=content_type,
        size=upload.size,
        changes=changes.strip(),
        uploaded_by=by,
    )


def _check_owner(organisation: Organisation, by: AbstractBaseUser | None) -> None:
    if by is not None and not scope_for(by).covers(organisation):
        raise ValidationError(
            _("You do not lead %(org)s, so you cannot publish its documents.")
            % {"org": organisation.name}
        )


@transaction.atomic
def document_create(
    *,
    organisation: Organisation,
    title: str,
    category: str,
    visibility: str,
    upload: UploadedFile | None,
    by: AbstractBaseUser | None,
    description: str = "",
    changes: str = "",
) -> Document:
    """Publish a document with its first version."""
    title = (title or "").strip()
    errors = []
    try:
        _check_owner(organisation, by)
    except ValidationError as error:
        errors.extend(error.messages)
    if not title:
        errors.append(_("Give the document a title."))
    if category not in Document.Category.values:
        errors.append(_("Choose a category."))
    if visibility not in Document.Visibility.values:
        errors.append(_("Choose who may see the document."))
    content_type = ""
    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                organisation=organisation,
                title=title,
                category=category,
                visibility=visibility,
                description=description.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "This organisation already has a document with this title; "
                "upload a new version of it instead."
            )
        ) from None
    _add_version(document, upload, content_type, changes, by)
    return document


@transaction.atomic
def version_add(
    *,
    document: Document,
    upload: UploadedFile | None,
    changes: str,
    by: AbstractBaseUser | None,
) -> DocumentVersion:
    """Upload a new version; its number is the next one (under a row lock, so two
    uploads at once get two numbers). Old versions are kept."""
    document = (
        Document.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    )
    errors = []
    try:
        _check_owner(document.organisation, by)
    except ValidationError as error:
        errors.extend(error.messages)
    if not (changes or "").strip():
        errors.append(_("Say what changed in this version."))
    content_type = ""
    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return _add_version(document, upload, content_type, changes, by)
