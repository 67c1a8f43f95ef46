"""Completion of a study assignment as an Excel workbook: the same columns as the page."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation
from members.models import Person
from supplychain_party.exports import Column

from .models import Assignment


def completion_workbook(
    *, organisation: Organisation, assignment: Assignment, people: Iterable[Person]
) -> Workbook:
    """One row per member who has to read the material (annotated by `readers_of`)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Study completion")[:31]
    sheet.append([f"{organisation.name} · {assignment.material.title}"])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = [
        (_("Branch"), 20),
        (_("Name"), 12),
        (_("Read at"), 18),
        (_("Best quiz score (%)"), 14),
        (_("Due by"), 12),
    ]
    sheet.append([name for name, _width in headers])
    for column, (_name, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=column).font = Font(bold=True)
    for person in people:
        read_at = (
            timezone.localtime(person.read_at).strftime("%Y-%m-%d %H:%M")
            if person.read_at
            else _("Not read")
        )
        sheet.append(
            [
                person.branch.name if person.branch else "",
                person.name,
                read_at,
                person.best_score if person.best_score is not None else "",
                assignment.due_on.isoformat(),
            ]
        )
    return workbook


# The credit ranking of a branch (rows from `selectors.ranked_people`), and of a general
# branch or the committee, whose "top members" table adds the branch.
RANK_COLUMNS = (
    Column(gettext_lazy("Rank"), lambda p: p.rank),
    Column(gettext_lazy("Name"), lambda p: p.name),
    Column(gettext_lazy("Credits"), lambda p: p.points, numeric=True),
)
TOP_COLUMNS = (*RANK_COLUMNS[:2], Column(gettext_lazy("Branch"), lambda p: p.branch.name),
               RANK_COLUMNS[2])

# The leaders' materials list (without its "assign" link).
MATERIAL_COLUMNS = (
    Column(gettext_lazy("Title"), lambda m: m.title, width=40),
    Column(gettext_lazy("Kind"), lambda m: m.get_kind_display()),
    Column(gettext_lazy("Published by"), lambda m: m.organisation.name),
    Column(gettext_lazy("Published on"), lambda m: m.published_on),
    Column(gettext_lazy("Assignments"), lambda m: m.assignment_count, numeric=True),
)
