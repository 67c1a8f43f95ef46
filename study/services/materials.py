"""Publishing, assigning and reading study materials."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person
from supplychain_party import uploads

from ..models import Assignment, CreditRule, Material, ReadRecord
from .credits import credit_award

MATERIAL_TYPES = (".pdf", ".docx")


def validate_material_file(upload: UploadedFile) -> str:
    """Check an uploaded study document (PDF or Word .docx) by its content and size;
    return its content type."""
    limit = getattr(settings, "STUDY_MATERIAL_MAX_BYTES", uploads.DEFAULT_MAX_BYTES)
    return uploads.validate_upload(upload, accepted=MATERIAL_TYPES, max_bytes=limit)


def _validate_video_url(url: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Enter the video's address starting with http:// or https://."), code="url"
        ) from None


@transaction.atomic
def material_create(
    *,
    organisation: Organisation,
    title: str,
    kind: str,
    published_on: datetime.date,
    by: AbstractBaseUser | None,
    body: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
) -> Material:
    """Publish a material: a document needs its file (PDF or .docx, checked), a video its
    http(s) link; a central-group topic is text."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the material a title."), code="title")
    if kind not in Material.Kind.values:
        raise ValidationError(_("Unknown kind of material."), code="kind")
    material = Material(
        organisation=organisation,
        title=title,
        kind=kind,
        body=body,
        published_on=published_on,
        created_by=by,
    )
    if kind == Material.Kind.DOCUMENT:
        if upload is None:
            raise ValidationError(_("A document needs its file."), code="file")
        material.content_type = validate_material_file(upload)
        material.original_name = (upload.name or "")[:200]
        material.file = upload
    elif kind == Material.Kind.VIDEO:
        url = url.strip()
        if not url:
            raise ValidationError(_("An intranet video needs its link."), code="url")
        _validate_video_url(url)
        material.url = url
    material.save()
    return material


@transaction.atomic
def material_assign(
    *,
    material: Material,
    organisation: Organisation,
    due_on: datetime.date,
    by: AbstractBaseUser | None,
) -> tuple[Assignment, bool]:
    """Assign a material to an organisation (and so its whole subtree), due by a date.
    Assigning it again to the same organisation moves the due date. Returns the
    assignment and whether it is new."""
    if due_on < material.published_on:
        raise ValidationError(
            _("The due date cannot be before the material is published."), code="due_on"
        )
    assignment, created = Assignment.objects.update_or_create(
        material=material,
        organisation=organisation,
        defaults={"due_on": due_on},
        create_defaults={"due_on": due_on, "assigned_by": by},
    )
    return assignment, created


@transaction.atomic
def material_mark_read(
    *, person: Person, material: Material, now: datetime.datetime | None = None
) -> tuple[ReadRecord, bool]:
    """Record that the person has read the material; idempotent. The first time it
    earns the reading credit. Returns the record and whether it is new."""
    now = now or timezone.now()
    record, created = ReadRecord.objects.get_or_create(
        person=person, material=material, defaults={"read_at": now}
    )
    if created:
        credit_award(
            person=person,
            event=CreditRule.Event.READ,
            material=material,
            on=timezone.localdate(now),
        )
    return record, created
