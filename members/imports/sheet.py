"""The roster sheet (党员花名册) as Excel: its columns, the words it accepts, reading each
row into values or row-level errors without the database, and the template to fill in.

The headers and the words in the template are the company's Chinese form, whatever
language the page is in; messages about the sheet are in the user's language. The words
for statuses, genders and posts are the labels of the model's choices (in every
language the portal speaks), their codes, and a few usual synonyms.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from supplychain_party.spreadsheets import (
    RowError,
    add_drop_down,
    cell_date,
    cell_text,
    titled_sheet,
)

from ..models import Person, Post

TITLE = "党员花名册"
SHEET_LANGUAGE = "zh-hans"  # the company's form is in Chinese
(
    EMPLOYEE_NO,
    NAME,
    GENDER,
    PHONE,
    DEPARTMENT,
    STATUS,
    BRANCH,
    GROUP,
    JOINED,
    FULL,
    MEMBER_FROM,
    POSTS,
    POST_FROM,
) = HEADERS = (
    "工号",
    "姓名",
    "性别",
    "联系电话",
    "部门",
    "政治面貌",
    "所在支部",
    "党小组",
    "入党日期",
    "转正日期",
    "加入支部日期",
    "党内职务",
    "任职日期",
)
REQUIRED = (EMPLOYEE_NO, NAME, STATUS, BRANCH)
WIDTHS = (12, 10, 6, 16, 18, 14, 20, 16, 12, 12, 14, 20, 12)
MAX_ROWS = 2000
# The register's field behind each column, to place a refusal of the model or a service.
COLUMN_OF_FIELD = {
    "employee_no": EMPLOYEE_NO,
    "name": NAME,
    "gender": GENDER,
    "phone": PHONE,
    "department": DEPARTMENT,
    "status": STATUS,
    "joined_party_on": JOINED,
    "full_member_on": FULL,
}
MAX_LENGTHS = {
    EMPLOYEE_NO: Person._meta.get_field("employee_no").max_length,
    NAME: Person._meta.get_field("name").max_length,
    DEPARTMENT: Person._meta.get_field("department").max_length,
    BRANCH: 100,
    GROUP: 100,
}

# Synonyms found on real rosters, besides the choices' labels and codes.
STATUS_SYNONYMS = {
    "积极分子": Person.Status.ACTIVIST,
    "申请人": Person.Status.APPLICANT,
    "中共预备党员": Person.Status.PROBATIONARY,
    "中共党员": Person.Status.FULL,
    "党员": Person.Status.FULL,
}
GENDER_SYNONYMS = {"男性": Person.Gender.MALE, "女性": Person.Gender.FEMALE}
POST_SYNONYMS = {
    "支部书记": Post.Role.SECRETARY,
    "党支部书记": Post.Role.SECRETARY,
    "支部副书记": Post.Role.DEPUTY_SECRETARY,
    "纪律检查委员": Post.Role.DISCIPLINE,
    "支部委员": Post.Role.COMMITTEE,
    "支委": Post.Role.COMMITTEE,
    "党小组组长": Post.Role.GROUP_LEADER,
    "小组长": Post.Role.GROUP_LEADER,
    "组长": Post.Role.GROUP_LEADER,
}
# Several posts in one cell: 组织委员、党小组长
POST_SEPARATORS = re.compile(r"[、，,；;/\s]+")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def sheet_word(label) -> str:
    """A choice's label as the sheet writes it."""
    with translation.override(SHEET_LANGUAGE):
        return str(label)


@functools.cache
def _words(kind: str) -> dict[str, str]:
    """Every accepted word (lower-cased) -> the choice's value."""
    choices, synonyms = {
        "status": (Person.Status.choices, STATUS_SYNONYMS),
        "gender": (Person.Gender.choices, GENDER_SYNONYMS),
        "post": (Post.Role.choices, POST_SYNONYMS),
    }[kind]
    words = {}
    for value, label in choices:
        words[value.lower()] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words[str(label).lower()] = value
    words.update({word.lower(): value for word, value in synonyms.items()})
    return words


def sheet_words(choices: Iterable[tuple[str, str]]) -> list[str]:
    return [sheet_word(label) for _value, label in choices]


@dataclass
class RosterRow:
    """One row of the sheet: the values read from it, then (from the services) the
    person and organisations it names and what importing it does."""

    row: int
    employee_no: str = ""
    name: str = ""
    gender: str = ""  # blank: leave the register's value
    phone: str = ""
    department: str = ""
    status: str = ""
    branch_name: str = ""
    group_name: str = ""  # blank: keep the person's group while they stay in the branch
    joined_party_on: datetime.date | None = None
    full_member_on: datetime.date | None = None
    member_from: datetime.date | None = None  # blank: the day of the import
    roles: tuple[str, ...] = ()
    post_from: datetime.date | None = None
    # Set by the services.
    person: Person | None = None
    branch: object | None = None
    group: object | None = None
    action: str = ""  # "created", "updated", "unchanged"; blank while the row has errors
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return Person.Status(self.status).label if self.status else ""

    @property
    def role_labels(self) -> str:
        return "、".join(str(Post.Role(role).label) for role in self.roles)


def read_row(
    values: Sequence, number: int, *, today: datetime.date
) -> tuple[RosterRow, list[RowError]]:
    """Read one row of the sheet: the values it sets, and every error in it (an empty
    list when the row is valid). Needs no database; any cell value is accepted."""
    errors: list[RowError] = []
    row = RosterRow(row=number)

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    cells = {
        header: values[index] if index < len(values) else None
        for index, header in enumerate(HEADERS)
    }
    text = {header: cell_text(value) for header, value in cells.items()}
    for header in REQUIRED:
        if not text[header]:
            error(header, _("The cell is empty; it is required."))
    for header, limit in MAX_LENGTHS.items():
        if len(text[header]) > limit:
            error(
                header,
                _("“%(value)s” is longer than %(n)d characters.")
                % {"value": text[header][:20] + "…", "n": limit},
            )
    if any(character.isspace() for character in text[EMPLOYEE_NO]):
        error(EMPLOYEE_NO, _("An employee number has no spaces."))
    row.employee_no = text[EMPLOYEE_NO][: MAX_LENGTHS[EMPLOYEE_NO]]
    row.name = text[NAME][: MAX_LENGTHS[NAME]]
    row.department = text[DEPARTMENT][: MAX_LENGTHS[DEPARTMENT]]
    row.branch_name = text[BRANCH][: MAX_LENGTHS[BRANCH]]
    row.group_name = text[GROUP][: MAX_LENGTHS[GROUP]]

    row.gender = _choice(text[GENDER], "gender", Person.Gender.choices, GENDER, error)
    row.status = _choice(text[STATUS], "status", Person.Status.choices, STATUS, error)
    row.phone = _phone(text[PHONE], error)

    dates = {}
    for header in (JOINED, FULL, MEMBER_FROM, POST_FROM):
        try:
            dates[header] = cell_date(cells[header])
        except (ValueError, OverflowError):
            error(
                header,
                _("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": text[header]},
            )
            dates[header] = None
            continue
        if dates[header] is not None and dates[header] > today:
            error(header, _("%(date)s is in the future.") % {"date": dates[header].isoformat()})
    row.joined_party_on, row.full_member_on = dates[JOINED], dates[FULL]
    row.member_from, row.post_from = dates[MEMBER_FROM], dates[POST_FROM]
    if row.status:
        if row.joined_party_on and row.status not in Person.PARTY_STATUSES:
            error(JOINED, _("Only a probationary or full member has a date of admission."))
        if row.full_member_on and row.status != Person.Status.FULL:
            error(FULL, _("Only a full member has a date of full membership."))
    if row.joined_party_on and row.full_member_on and row.full_member_on < row.joined_party_on:
        error(FULL, _("Full membership cannot come before admission to the party."))

    row.roles = _roles(text[POSTS], error)
    if row.roles and text[POST_FROM] == "":
        error(
            POST_FROM,
            _("The cell is empty; it is required when %(column)s is filled in.")
            % {"column": POSTS},
        )
    if text[POST_FROM] and not text[POSTS]:
        error(POST_FROM, _("There is no post in %(column)s for this date.") % {"column": POSTS})
    return row, errors


def _choice(word: str, kind: str, choices, column: str, error) -> str:
    if not word:
        return ""
    value = _words(kind).get(word.lower())
    if value is None:
        error(
            column,
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": word, "allowed": "、".join(sheet_words(choices))},
        )
        return ""
    return value


def _phone(text: str, error) -> str:
    number = re.sub(r"[\s()（）]", "", text).removeprefix("+86")
    if not number:
        return ""
    if MOBILE.match(number) or LANDLINE.match(number):
        return number
    error(
        PHONE,
        _(
            "“%(value)s” is not a phone number: a mobile's 11 digits (13912345678) or a "
            "landline with its area code (010-12345678)."
        )
        % {"value": text},
    )
    return ""


def _roles(text: str, error) -> tuple[str, ...]:
    roles: list[str] = []
    for word in POST_SEPARATORS.split(text):
        if not word:
            continue
        role = _words("post").get(word.lower())
        if role is None:
            error(
                POSTS,
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": word, "allowed": "、".join(sheet_words(Post.Role.choices))},
            )
        elif role not in roles:
            roles.append(role)
    return tuple(roles)


# --- The template ------------------------------------------------------------------------


def _date_cell(sheet, row: int, column: int) -> None:
    sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"


def template_workbook(*, heading: str, rows: Iterable[Sequence]) -> Workbook:
    """The sheet to fill in, with `rows` already in it (a branch's roster as it is, so
    that the importer changes only what moved), and drop-downs for the fixed words."""
    workbook = Workbook()
    sheet = titled_sheet(workbook, name=TITLE, heading=heading, headers=HEADERS, widths=WIDTHS)
    for values in rows:
        sheet.append(list(values))
        for header in (JOINED, FULL, MEMBER_FROM, POST_FROM):
            _date_cell(sheet, sheet.max_row, HEADERS.index(header) + 1)
    last = max(sheet.max_row, 3) + 500
    for header, choices in (
        (GENDER, Person.Gender.choices),
        (STATUS, Person.Status.choices),
        (POSTS, Post.Role.choices),
    ):
        add_drop_down(sheet, HEADERS.index(header) + 1, sheet_words(choices), rows=last)
    return workbook


def roster_rows(people, *, memberships: dict, posts: dict) -> list[tuple]:
    """The sheet's rows for `people` as the register holds them (with `branch` and
    `group` selected), given their open membership and their open posts in their branch
    by person id: importing the rows as they are changes nothing."""
    rows = []
    for person in people:
        membership = memberships.get(person.pk)
        held = posts.get(person.pk, [])
        rows.append(
            (
                person.employee_no,
                person.name,
                sheet_word(Person.Gender(person.gender).label) if person.gender else "",
                person.phone,
                person.department,
                sheet_word(Person.Status(person.status).label),
                person.branch.name if person.branch else "",
                person.group.name if person.group else "",
                person.joined_party_on,
                person.full_member_on,
                membership.started_on if membership else None,
                "、".join(sheet_word(Post.Role(post.role).label) for post in held),
                min((post.started_on for post in held), default=None),
            )
        )
    return rows
