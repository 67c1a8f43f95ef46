"""Writes of the roster import: keep an uploaded sheet, preview it, import it (every row
or none), discard it.

Each row goes through the members services (`person_create`, `person_update`,
`membership_start`, `post_assign`, `post_end`), so the history and the rules are those of
every other write. The preview applies the rows the same way inside a savepoint that is
always rolled back: what a row would do, and what a service would refuse, is learnt from
the services themselves, not from a copy of their rules.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supplychain_party import uploads
from supplychain_party.sheet_imports import refused_error, row_errors_error
from supplychain_party.spreadsheets import SheetRefused

from ..access import Scope
from ..models import Membership, Person, Post, RosterImport
from ..services import membership_start, person_create, person_update, post_assign, post_end
from .checks import RosterSheet, roster_read, roster_resolve
from .sheet import COLUMN_OF_FIELD, EMPLOYEE_NO, FULL, GROUP, MEMBER_FROM, POSTS, RosterRow

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


# --- Applying rows -----------------------------------------------------------------------


def _person_values(row: RosterRow) -> dict:
    """What the row sets on the person. A blank optional cell leaves the register's
    value; admission dates follow the status (none for non-members)."""
    values = {"name": row.name, "status": row.status}
    for name in ("gender", "phone", "department"):
        if getattr(row, name):
            values[name] = getattr(row, name)
    if row.joined_party_on:
        values["joined_party_on"] = row.joined_party_on
    elif row.status not in Person.PARTY_STATUSES:
        values["joined_party_on"] = None
    if row.full_member_on:
        values["full_member_on"] = row.full_member_on
    elif row.status != Person.Status.FULL:
        values["full_member_on"] = None
    return values


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    model_field = Person._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _RowRefused(Exception):
    """A row the model or a service refused, as (column, message) pairs."""

    def __init__(self, messages: list[tuple[str, str]]):
        super().__init__(messages)
        self.messages = messages


def _refusal(error: ValidationError, column: str) -> list[tuple[str, str]]:
    """A service's or the model's refusal as (column, message) pairs."""
    if hasattr(error, "error_dict"):
        return [
            (COLUMN_OF_FIELD.get(name, FULL if name == NON_FIELD_ERRORS else column), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [(column, message) for message in error.messages]


def _apply_row(row: RosterRow, *, today: datetime.date) -> None:
    """Bring the register in line with one valid row through the members services; sets
    `row.action` and describes each change in `row.changes`. Raises _RowRefused with
    the column of the step that was refused."""
    person = row.person
    values = _person_values(row)
    created = person is None
    column = EMPLOYEE_NO
    try:
        if created:
            person = person_create(employee_no=row.employee_no, **values)
            row.person = person
        else:
            if row.status not in Person.PARTY_STATUSES and (
                Post.objects.filter(person=person, ended_on__isnull=True).exists()
            ):
                raise ValidationError(
                    {
                        "status": _(
                            "%(name)s holds a post, which only a party member can hold; end "
                            "the post first."
                        )
                        % {"name": person.name}
                    }
                )
            for name, (old, new) in person_update(person=person, **values).items():
                row.changes.append(
                    _("%(field)s: %(old)s → %(new)s")
                    % {
                        "field": Person._meta.get_field(name).verbose_name,
                        "old": _shown(name, old),
                        "new": _shown(name, new),
                    }
                )
        column = MEMBER_FROM
        _place(row, person, today=today)
        column = POSTS
        _assign_posts(row, person)
    except ValidationError as error:
        raise _RowRefused(_refusal(error, column)) from None
    if created:
        row.action = "created"
    else:
        row.action = "updated" if row.changes else "unchanged"


def _place(row: RosterRow, person: Person, *, today: datetime.date) -> None:
    """Move the person into the row's branch and group when they are not there, ending
    the posts they leave behind (as a transfer does); note a membership date that
    differs but is not the import's to correct."""
    branch = row.branch
    if row.group is not None:
        group = row.group
    elif person.branch_id == branch.pk:
        group = person.group  # a blank group keeps the person's group in their branch
    else:
        group = None
    current = Membership.objects.filter(person=person, ended_on__isnull=True).first()
    if person.branch_id == branch.pk and person.group_id == (group.pk if group else None):
        if current is not None and row.member_from and row.member_from != current.started_on:
            row.notes.append(
                _(
                    "The membership of %(branch)s began on %(date)s; the sheet's %(sheet)s is "
                    "not applied (an existing membership's dates are corrected in the admin)."
                )
                % {
                    "branch": branch.name,
                    "date": current.started_on.isoformat(),
                    "sheet": row.member_from.isoformat(),
                }
            )
        return
    on = row.member_from or today
    old_branch, old_group = person.branch, person.group
    left = Post.objects.filter(person=person, ended_on__isnull=True).select_related("organisation")
    if old_branch is not None and old_branch.pk != branch.pk:
        left = left.filter(organisation__path__startswith=old_branch.path)
    elif old_group is not None:
        left = left.filter(organisation=old_group)
    else:
        left = left.none()
    for post in left.select_for_update(of=("self",)):
        post_end(post=post, on=max(on, post.started_on))
        row.changes.append(
            _("Post ended: %(post)s of %(org)s, on %(date)s")
            % {
                "post": post.get_role_display(),
                "org": post.organisation.name,
                "date": post.ended_on.isoformat(),
            }
        )
    membership_start(person=person, branch=branch, group=group, on=on)
    if old_branch is None:
        place = f"{branch.name} {group.name}" if group else branch.name
        row.changes.append(
            _("Joins %(place)s from %(date)s") % {"place": place, "date": on.isoformat()}
        )
        return
    if old_branch.pk != branch.pk:
        row.changes.append(
            _("Branch: %(old)s → %(new)s, from %(date)s")
            % {"old": old_branch.name, "new": branch.name, "date": on.isoformat()}
        )
    if (old_group.pk if old_group else None) != (group.pk if group else None):
        row.changes.append(
            _("Party group: %(old)s → %(new)s, from %(date)s")
            % {
                "old": old_group.name if old_group else "—",
                "new": group.name if group else "—",
                "date": on.isoformat(),
            }
        )


def _assign_posts(row: RosterRow, person: Person) -> None:
    for role in row.roles:
        if role == Post.Role.GROUP_LEADER:
            organisation = person.group
            if organisation is None:
                raise ValidationError(
                    _("A party-group leader leads a party group: fill in %(column)s.")
                    % {"column": GROUP}
                )
        else:
            organisation = row.branch
        held = Post.objects.filter(
            person=person, organisation=organisation, role=role, ended_on__isnull=True
        ).exists()
        post = post_assign(person=person, organisation=organisation, role=role, on=row.post_from)
        if not held:
            row.changes.append(
                _("New post: %(post)s of %(org)s, from %(date)s")
                % {
                    "post": post.get_role_display(),
                    "org": organisation.name,
                    "date": post.started_on.isoformat(),
                }
            )


def roster_apply(sheet: RosterSheet, *, today: datetime.date) -> RosterSheet:
    """Apply every row without an error, each in a savepoint: a row a service refuses
    leaves nothing behind and becomes a row error. The caller decides whether what was
    applied stays (the import, all rows valid) or goes (the preview)."""
    erred = sheet.erred_rows()
    for row in sheet.rows:
        if row.row in erred:
            continue
        try:
            with transaction.atomic():
                _apply_row(row, today=today)
        except _RowRefused as refused:
            row.action, row.changes = "", []
            for column, message in refused.messages:
                sheet.error(row, column, message)
        except IntegrityError:
            # Another import added the same employee number since this one began.
            row.action, row.changes = "", []
            sheet.error(
                row,
                EMPLOYEE_NO,
                _("The register changed while this row was read; upload the sheet again."),
            )
    sheet.sort_errors()
    return sheet


# --- The import's steps ------------------------------------------------------------------


@transaction.atomic
def roster_import_upload(*, upload: UploadedFile, scope: Scope, by) -> RosterImport:
    """Keep an uploaded roster sheet for its preview. A file that is not an .xlsx
    workbook by its content, is too large, or cannot be read as the roster sheet (wrong
    headers, no rows) is refused, and nothing is kept."""
    uploads.validate_upload(upload, accepted=(".xlsx",), max_bytes=MAX_UPLOAD_BYTES)
    content = upload.read()
    try:
        roster_read(content, today=timezone.localdate())
    except SheetRefused as refused:
        raise refused_error(refused) from None
    return RosterImport.objects.create(
        organisation=scope.home_organisation,
        filename=(upload.name or "")[:200],
        content=content,
        uploaded_by=by,
    )


def roster_preview(batch: RosterImport, *, scope: Scope) -> RosterSheet:
    """Every row of the batch's sheet as importing it now would go, and every error:
    the rows are applied in a savepoint that is always rolled back. Raises SheetRefused."""
    today = timezone.localdate()
    sheet = roster_resolve(roster_read(bytes(batch.content), today=today), scope=scope)
    with transaction.atomic():
        roster_apply(sheet, today=today)
        transaction.set_rollback(True)
    return sheet


@transaction.atomic
def roster_import_confirm(*, batch: RosterImport, scope: Scope, by) -> RosterImport:
    """Import every row in one transaction, or none. The sheet is read and validated
    again now (the register may have changed since the preview), with the batch and the
    sheet's people locked. Rows already as the register holds them change nothing, so a
    re-import is a no-op; a second confirmation of the same batch does nothing."""
    batch = batch.lock_pending()
    today = timezone.localdate()
    try:
        sheet = roster_read(bytes(batch.content), today=today)
    except SheetRefused as refused:
        raise refused_error(refused) from None
    roster_resolve(sheet, scope=scope, lock=True)
    if sheet.is_valid:
        roster_apply(sheet, today=today)
    if not sheet.is_valid:
        # Raised inside the transaction: the rows applied before the error go with it.
        raise row_errors_error(sheet.errors)
    batch.mark_imported(sheet.counts())
    return batch


@transaction.atomic
def roster_import_discard(*, batch: RosterImport) -> bool:
    """Drop a pending sheet (and its bytes); False when it was not pending."""
    return batch.discard()
