"""Reading a roster sheet and checking its rows against the register, without writing:
the rows' values, the person each names (by employee number), their branch and party
group, and the errors of each row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

from branches.models import Organisation
from supplychain_party.spreadsheets import RowError, read_table

from ..access import Scope
from ..models import Person
from .sheet import BRANCH, EMPLOYEE_NO, GROUP, HEADERS, MAX_ROWS, STATUS, RosterRow, read_row


@dataclass
class RosterSheet:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error(self, row: RosterRow, column: str, message: str) -> None:
        self.errors.append(RowError(row.row, column, message))

    def sort_errors(self) -> None:
        """By row, then in the order of the columns."""
        self.errors.sort(key=lambda error: (error.row, HEADERS.index(error.column)))

    def erred_rows(self) -> set[int]:
        return {error.row for error in self.errors}

    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for row in self.rows:
            if row.action:
                counts[row.action] += 1
        return counts


def roster_read(content: bytes, *, today: datetime.date) -> RosterSheet:
    """The sheet's rows and the errors found without the database. Raises SheetRefused
    when the file as a whole is not the roster sheet."""
    table = read_table(
        content, headers=HEADERS, max_rows=MAX_ROWS, no_rows=_("The sheet has no rows of people.")
    )
    sheet = RosterSheet()
    for number, values in table:
        row, errors = read_row(values, number, today=today)
        sheet.rows.append(row)
        sheet.errors.extend(errors)
    return sheet


def _in_scope(scope: Scope, *organisations: Organisation | None) -> bool:
    return any(scope.covers(org) for org in organisations if org is not None)


def roster_resolve(sheet: RosterSheet, *, scope: Scope, lock: bool = False) -> RosterSheet:
    """Find each row's person (by employee number), branch and party group, and refuse
    what the importer may not touch: an unknown or inactive branch, one outside the
    importer's organisations, a person who belongs elsewhere, a duplicate row. With
    `lock`, the people are locked until the transaction ends."""
    numbers = {row.employee_no for row in sheet.rows if row.employee_no}
    people = Person.objects.filter(employee_no__in=numbers).select_related("branch", "group")
    if lock:
        people = people.select_for_update(of=("self",)).order_by("pk")
    by_number = {person.employee_no: person for person in people}
    branches: dict[str, list[Organisation]] = {}
    for branch in Organisation.objects.branches().filter(
        name__in={row.branch_name for row in sheet.rows}
    ):
        branches.setdefault(branch.name, []).append(branch)
    groups = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.GROUP, name__in={row.group_name for row in sheet.rows}
        )
    )
    seen: dict[str, int] = {}
    for row in sheet.rows:
        if row.employee_no:
            if row.employee_no in seen:
                sheet.error(
                    row,
                    EMPLOYEE_NO,
                    _("Employee number %(no)s appears twice in the sheet (first on row %(first)d).")
                    % {"no": row.employee_no, "first": seen[row.employee_no]},
                )
                continue
            seen[row.employee_no] = row.row
            row.person = by_number.get(row.employee_no)
            if row.person is not None and not (
                scope.sees_all or _in_scope(scope, row.person.branch, row.person.group)
            ):
                # Say no more than that: the importer does not see that person.
                sheet.error(
                    row,
                    EMPLOYEE_NO,
                    _(
                        "Employee number %(no)s belongs to someone outside the organisations "
                        "you lead."
                    )
                    % {"no": row.employee_no},
                )
        if row.branch_name:
            _resolve_branch(sheet, row, branches.get(row.branch_name, []), groups, scope)
    _refuse_development_changes(sheet)
    sheet.sort_errors()
    return sheet


def _resolve_branch(sheet, row, candidates, groups, scope) -> None:
    if not candidates:
        sheet.error(row, BRANCH, _("No branch is named %(name)s.") % {"name": row.branch_name})
        return
    if len(candidates) > 1:
        sheet.error(
            row,
            BRANCH,
            _("Several branches are named %(name)s; rename one in the admin first.")
            % {"name": row.branch_name},
        )
        return
    branch = candidates[0]
    if not branch.is_active:
        sheet.error(row, BRANCH, _("%(name)s is no longer active.") % {"name": branch.name})
        return
    if not scope.covers(branch):
        sheet.error(
            row,
            BRANCH,
            _("%(name)s is not among the organisations you lead.") % {"name": branch.name},
        )
        return
    row.branch = branch
    if row.group_name:
        row.group = next(
            (
                group
                for group in groups
                if group.name == row.group_name
                and group.path.startswith(branch.path)
                and group.depth == branch.depth + 1
            ),
            None,
        )
        if row.group is None:
            sheet.error(
                row,
                GROUP,
                _("%(branch)s has no party group named %(name)s.")
                % {"branch": branch.name, "name": row.group_name},
            )


def _refuse_development_changes(sheet: RosterSheet) -> None:
    """A person with an open member-development record (发展党员) changes status with its
    steps; the sheet may not change it, or the admission dates, behind the record."""
    if not apps.is_installed("development"):
        return
    candidacy = apps.get_model("development", "Candidacy")
    people = [row.person for row in sheet.rows if row.person is not None]
    developing = set(
        candidacy.objects.open().filter(person__in=people).values_list("person_id", flat=True)
    )
    for row in sheet.rows:
        person = row.person
        if person is None or person.pk not in developing or not row.status:
            continue
        if (
            row.status != person.status
            or (row.joined_party_on and row.joined_party_on != person.joined_party_on)
            or (row.full_member_on and row.full_member_on != person.full_member_on)
        ):
            sheet.error(
                row,
                STATUS,
                _(
                    "%(name)s has an open member-development record; the political status "
                    "and its dates change with its steps."
                )
                % {"name": person.name},
            )
