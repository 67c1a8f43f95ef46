"""Writes for the supply status board: one project's weekly status (by hand), and the
weekly sheet's import (upload, then confirm: all rows or none)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supplychain_party.sheet_imports import refused_error, row_errors_error

from ..models import ImportBatch, KeyProject, WeeklyStatus, week_start
from ..sheets import CODE, RowError, Sheet, SheetRefused, read_sheet

VALUE_FIELDS = ("plan_allocation", "tendering", "contract", "arrival", "is_delayed", "remarks")


def check_week(week: datetime.date, *, reason: str, amends: bool) -> datetime.date:
    """The week's Monday; refuses a future week, and amending a past week without a
    reason (the reason goes into the status's history)."""
    week = week_start(week)
    this_week = week_start(timezone.localdate())
    if week > this_week:
        raise ValidationError(
            _("Statuses cannot be entered for a future week."), code="future_week"
        )
    if amends and week < this_week and not reason.strip():
        raise ValidationError(
            _("Give a reason for amending the statuses of a past week (%(week)s).")
            % {"week": week.isoformat()},
            code="reason_required",
        )
    return week


def _write(
    *,
    project: KeyProject,
    week: datetime.date,
    values: dict,
    by,
    reason: str,
    existing: WeeklyStatus | None,
) -> str:
    """Create or change one status; "unchanged" (and no history row) when nothing moved."""
    values = {key: values[key] for key in VALUE_FIELDS}
    if existing is not None and existing.values() == values:
        return "unchanged"
    status = existing or WeeklyStatus(project=project, week=week)
    for key, value in values.items():
        setattr(status, key, value)
    status.entered_by = by
    status.entered_at = timezone.now()
    status.full_clean(validate_unique=existing is None, validate_constraints=False)
    if reason.strip():
        status._change_reason = reason.strip()
    status.save()
    return "created" if existing is None else "updated"


@transaction.atomic
def weekly_status_record(
    *, project: KeyProject, week: datetime.date, values: dict, by, reason: str = ""
) -> str:
    """Enter or correct one project's status for a week. Returns "created", "updated" or
    "unchanged" (saving the same values twice writes nothing)."""
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if not project.is_active:
        raise ValidationError(_("The project is no longer active."), code="inactive_project")
    week = week_start(week)
    existing = WeeklyStatus.objects.filter(project=project, week=week).first()
    amends = existing is not None and existing.values() != {k: values[k] for k in VALUE_FIELDS}
    check_week(week, reason=reason, amends=amends)
    return _write(
        project=project, week=week, values=values, by=by, reason=reason, existing=existing
    )


# --- The weekly sheet -------------------------------------------------------------------


def sheet_validate(sheet: Sheet, *, week: datetime.date, lock: bool = False) -> Sheet:
    """Row errors that need the database: unknown or inactive projects, duplicate rows;
    and what each valid row would do (create, change, nothing)."""
    codes = {row.code for row in sheet.rows if row.code}
    projects = KeyProject.objects.filter(code__in=codes).order_by("pk")
    if lock:
        projects = projects.select_for_update()
    by_code = {project.code: project for project in projects}
    existing = {
        status.project_id: status
        for status in WeeklyStatus.objects.filter(week=week, project__code__in=codes)
    }
    seen: dict[str, int] = {}
    for row in sheet.rows:
        if not row.code:
            continue
        if row.code in seen:
            sheet.errors.append(
                RowError(
                    row.row,
                    CODE,
                    _("Project %(code)s appears twice in the sheet (first on row %(first)d).")
                    % {"code": row.code, "first": seen[row.code]},
                )
            )
            continue
        seen[row.code] = row.row
        project = by_code.get(row.code)
        if project is None:
            sheet.errors.append(
                RowError(
                    row.row, CODE, _("No key project has the code %(code)s.") % {"code": row.code}
                )
            )
            continue
        if not project.is_active:
            sheet.errors.append(
                RowError(
                    row.row, CODE, _("Project %(code)s is no longer active.") % {"code": row.code}
                )
            )
            continue
        row.project = project
        if len(row.values) == len(VALUE_FIELDS):
            status = existing.get(project.pk)
            if status is None:
                row.action = "created"
            elif status.values() == row.values:
                row.action = "unchanged"
            else:
                row.action = "updated"
    sheet.errors.sort(key=lambda error: error.row)
    return sheet


def import_read(batch: ImportBatch, *, lock: bool = False) -> Sheet:
    """The batch's sheet, parsed and validated against the database as it is now."""
    sheet = read_sheet(bytes(batch.content))
    return sheet_validate(sheet, week=batch.week, lock=lock)


@transaction.atomic
def import_upload(
    *, content: bytes, filename: str, week: datetime.date, reason: str, by
) -> ImportBatch:
    """Keep an uploaded weekly sheet for its preview. A file that cannot be read as the
    sheet (empty, not .xlsx, wrong headers, no rows) is refused and nothing is kept."""
    try:
        read_sheet(content)
    except SheetRefused as refused:
        raise refused_error(refused) from None
    week = check_week(week, reason=reason, amends=False)
    return ImportBatch.objects.create(
        week=week, reason=reason.strip(), filename=filename[:200], content=content, uploaded_by=by
    )


@transaction.atomic
def import_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """Import every row of the sheet in one transaction, or none: the sheet is read and
    validated again now (the projects or statuses may have changed since the preview).
    Rows whose values are already there change nothing, so a re-import is a no-op; a
    second confirmation of the same batch does nothing."""
    batch = batch.lock_pending()
    try:
        sheet = import_read(batch, lock=True)
    except SheetRefused as refused:
        raise refused_error(refused) from None
    if not sheet.is_valid:
        raise row_errors_error(sheet.errors)
    amends = any(row.action == "updated" for row in sheet.rows)
    check_week(batch.week, reason=batch.reason, amends=amends)
    existing = {
        status.project_id: status
        for status in WeeklyStatus.objects.select_for_update().filter(
            week=batch.week, project__in=[row.project for row in sheet.rows]
        )
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in sheet.rows:
        action = _write(
            project=row.project,
            week=batch.week,
            values=row.values,
            by=by,
            reason=batch.reason,
            existing=existing.get(row.project.pk),
        )
        counts[action] += 1
    batch.mark_imported(counts)
    return batch


@transaction.atomic
def import_discard(*, batch: ImportBatch) -> bool:
    """Drop a pending sheet (and its bytes); False when it was not pending."""
    return batch.discard()
