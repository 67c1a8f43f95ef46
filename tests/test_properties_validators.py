"""Properties of the validators and calculations (hypothesis): the dues amount (half up
to the fen, never falling as the base rises), the weekly sheet's rows (any cell value
is read without a crash, a valid sheet comes back as written), the upload check (any
bytes under any name are checked without a crash, only the accepted types pass), the
meeting form (any input gives a page, never a server error), and the calendar periods."""

import contextlib
import datetime
import io
import string
import zipfile
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dues.models import Category
from dues.months import add_months, month_key, parse_month
from dues.rules import Rules
from meetings.periods import MONTH, QUARTER, YEAR, period_containing
from serviceteam.models import ContractStage, TenderingStage
from serviceteam.sheets import HEADERS, _read_row, read_sheet, template_workbook
from supplychain_party.exports import as_text
from supplychain_party.spreadsheets import SheetRefused
from supplychain_party.uploads import DOCUMENTS, KNOWN, validate_upload

FAST = settings(max_examples=60, deadline=None, database=None)
WITH_DB = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAY = datetime.date(2026, 5, 1)

# --- Dues -------------------------------------------------------------------------------

incomes = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200000"), places=2)


def half_up_to_the_fen(value: Fraction) -> Decimal:
    """Rounding written out with integers: floor(value × 100 + ½) fen."""
    fen = value * 100 + Fraction(1, 2)
    return Decimal(fen.numerator // fen.denominator) / 100


@pytest.mark.parametrize("category", [Category.WORKING, Category.RETIRED])
def test_dues_are_the_rate_of_the_whole_base_rounded_half_up_and_never_fall(db, category):
    rules = Rules.load()

    @FAST
    @given(income=incomes, other=incomes)
    def check(income, other):
        due = rules.due(category=category, income=income, month=MAY)
        assert due.base == income
        assert due.amount == half_up_to_the_fen(Fraction(income) * Fraction(due.rate) / 100)
        assert due.amount.as_tuple().exponent == -2
        low, high = sorted((income, other))
        low_due = rules.due(category=category, income=low, month=MAY)
        high_due = rules.due(category=category, income=high, month=MAY)
        assert low_due.rate <= high_due.rate
        assert low_due.amount <= high_due.amount

    check()


@pytest.mark.parametrize("category", [Category.STUDENT, Category.LOW_INCOME])
def test_a_fixed_amount_does_not_depend_on_the_income(db, category):
    rules = Rules.load()

    @FAST
    @given(income=incomes)
    def check(income):
        due = rules.due(category=category, income=income, month=MAY)
        assert (
            due.fixed
            and due.amount == rules.due(category=category, income=Decimal(0), month=MAY).amount
        )

    check()


# --- The weekly sheet ---------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.decimals(allow_nan=False),
    st.text(max_size=30),
    st.datetimes(),
    st.dates(),
    st.sampled_from(
        ["85%", "85％", "0.5", "是", "否", "已定标", "招标中", "已签订", "settled", " 1 "]
    ),
)
number_formats = st.sampled_from(["General", "0%", "0.00%", "@", ""])


@FAST
@given(cells=st.lists(st.tuples(cell_values, number_formats), max_size=10))
def test_any_cell_values_make_a_row_or_row_errors_never_a_crash(cells):
    row = [SimpleNamespace(value=value, number_format=fmt) for value, fmt in cells]
    errors = []
    read = _read_row(row, 7, errors)
    assert {error.column for error in errors} <= set(HEADERS)
    assert all(error.row == 7 for error in errors)
    if not errors:  # a valid row carries every value, each in its range
        values = read.values
        assert 0 <= values["plan_allocation"] <= 100 and 0 <= values["arrival"] <= 100
        assert values["tendering"] in TenderingStage.values
        assert values["contract"] in ContractStage.values
        assert isinstance(values["is_delayed"], bool)


# What the team types in a cell: no control characters (Excel cannot hold them). A
# leading "=" stays text (`as_text`), never a formula in the reader's Excel.
remarks = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60),
    st.just("=HYPERLINK(\"http://example.invalid\",\"点此\")"),
)
statuses = st.fixed_dictionaries(
    {
        "plan_allocation": st.integers(0, 100),
        "tendering": st.sampled_from(TenderingStage.values),
        "contract": st.sampled_from(ContractStage.values),
        "arrival": st.integers(0, 100),
        "is_delayed": st.booleans(),
        "remarks": remarks,
    }
)


@settings(max_examples=20, deadline=None, database=None)
@given(rows=st.lists(statuses, min_size=1, max_size=6))
def test_a_valid_sheet_comes_back_as_it_was_written(rows):
    projects = [SimpleNamespace(pk=n, code=f"P-{n:04d}", name=f"工程{n}") for n in range(len(rows))]
    written = {
        project.pk: SimpleNamespace(**values)
        for project, values in zip(projects, rows, strict=True)
    }
    buffer = io.BytesIO()
    # As the download writes it (`xlsx_response`).
    as_text(template_workbook(week=MAY, projects=projects, statuses=written)).save(buffer)
    sheet = read_sheet(buffer.getvalue())
    assert sheet.is_valid, sheet.errors
    assert [row.code for row in sheet.rows] == [project.code for project in projects]
    for read, values in zip(sheet.rows, rows, strict=True):
        assert read.values == {**values, "remarks": values["remarks"].strip()}


@FAST
@given(
    content=st.one_of(
        st.binary(max_size=300), st.binary(max_size=40).map(lambda tail: b"PK\x03\x04" + tail)
    )
)
def test_any_bytes_are_read_as_a_sheet_or_refused_never_a_crash(content):
    with contextlib.suppress(SheetRefused):
        read_sheet(content)


# --- Uploads --------------------------------------------------------------------------------

extensions = st.sampled_from([*KNOWN, ".exe", ".txt", ".PDF", ".Docx", "", ".tar.gz"])
names = st.tuples(st.text(string.ascii_letters + "中文 _-.", max_size=12), extensions).map("".join)


def _zip(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


@FAST
@given(
    name=names,
    content=st.one_of(
        st.binary(max_size=200),
        st.tuples(
            st.sampled_from([signature for _type, signature, _part in KNOWN.values()]),
            st.binary(max_size=50),
        ).map(b"".join),
        st.sampled_from(
            ["word/document.xml", "xl/workbook.xml", "ppt/presentation.xml", "other.xml"]
        ).map(_zip),
    ),
)
def test_any_file_is_checked_and_only_accepted_types_pass(name, content):
    try:
        upload = SimpleUploadedFile(name, content)
    except SuspiciousFileOperation:  # Django refuses such a name before any check
        assume(False)
    try:
        content_type = validate_upload(upload)
    except ValidationError:
        return
    extension = "." + name.rsplit(".", 1)[-1].lower()
    assert extension in DOCUMENTS
    expected_type, signature, part = KNOWN[extension]
    assert content_type == expected_type
    assert content.startswith(signature) and content
    if part:
        assert part in zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert upload.tell() == 0  # left at the start for whoever saves it


@FAST
@given(extension=st.sampled_from(DOCUMENTS), tail=st.binary(max_size=50))
def test_a_real_file_of_an_accepted_type_passes(extension, tail):
    content_type, signature, part = KNOWN[extension]
    content = _zip(part, "docProps/app.xml") if part else signature + tail
    assert validate_upload(SimpleUploadedFile(f"文件{extension}", content)) == content_type


# --- The meeting form ---------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "2026-05-19T09:00",
            "2026-02-30T09:00",
            "9999-12-31T23:59",
            "abc",
            "1e9",
            "present",
            "leave",
            "absent",
            "99999999999999999999",
        ]
    ),
)
MEETING_FIELDS = (
    "held_at",
    "place",
    "topic",
    "host",
    "recorder",
    "content",
    "resolutions",
    "form_token",
    "att-0-person",
    "att-0-status",
    "att-0-leave_reason",
    "att-1-person",
    "att-1-status",
)


@pytest.mark.parametrize("page", ["create", "edit"])
def test_any_input_to_the_meeting_form_gives_a_page_never_a_server_error(login, world, page):
    from meetings.models import MeetingKind
    from meetings.services import MeetingData, meeting_create

    world.branch.refresh_from_db()
    client = login("secretary")
    path = f"/meetings/org/{world.branch.pk}/new/"
    if page == "edit":
        meeting = meeting_create(
            organisation=world.branch,
            kind=MeetingKind.COMMITTEE_MEETING,
            by=None,
            data=MeetingData(
                held_at=datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC), topic="议题"
            ),
        )
        path = f"/meetings/{meeting.pk}/edit/"

    @WITH_DB
    @given(
        data=st.dictionaries(st.sampled_from(MEETING_FIELDS), texts),
        kind=st.sampled_from(["committee_meeting", "group_meeting", "party_lesson", "x"]),
        person=st.sampled_from(["secretary", "member", "other_member", "0", "x"]),
        # Small counts: a count in the thousands renders that many rows (Django caps it).
        total=st.sampled_from(["0", "1", "2", "3", "", "x", "-1"]),
        initial=st.sampled_from(["0", "1", "", "x"]),
    )
    def check(data, kind, person, total, initial):
        people = {
            "secretary": world.secretary,
            "member": world.member,
            "other_member": world.other_member,
        }
        data = {"att-TOTAL_FORMS": total, "att-INITIAL_FORMS": initial, **data, "kind": kind}
        if person in people:
            data["att-0-person"] = str(people[person].pk)
        assume(all("\x00" not in value for value in data.values()))  # no browser sends it
        with transaction.atomic():
            response = client.post(path, data)
            transaction.set_rollback(True)
        assert response.status_code in (200, 302)

    check()


# --- Calendar periods and months -------------------------------------------------------

days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(9998, 12, 31))


@FAST
@given(day=days, kind=st.sampled_from([MONTH, QUARTER, YEAR]))
def test_a_period_contains_its_day_and_the_periods_tile_the_calendar(day, kind):
    period = period_containing(kind, day)
    assert period.contains(day) and period.start <= day <= period.due < period.end
    assert period.start.day == 1 and period.end.day == 1
    assert len(period.months) == {MONTH: 1, QUARTER: 3, YEAR: 12}[kind]
    assert period_containing(kind, period.start) == period
    assert period_containing(kind, period.due) == period
    if period.end.year <= 9999:
        following = period_containing(kind, period.end)
        assert following.start == period.end  # no gap, no overlap
        assert following.key > period.key or following.start.year > period.start.year
    inner = period_containing(MONTH, day)
    assert period.start <= inner.start and inner.end <= period.end  # a month nests in it


@FAST
@given(
    text=st.one_of(st.text(max_size=12), st.none(), st.from_regex(r"\A-?[0-9]{1,6}-[0-9]{1,3}\Z"))
)
def test_any_month_parameter_parses_or_falls_back(text):
    month = parse_month(text, MAY)
    assert month == MAY or (month.day == 1 and parse_month(month_key(month), MAY) == month)


@FAST
@given(
    month=days.map(lambda day: day.replace(day=1)).filter(lambda m: 1900 < m.year < 9990),
    n=st.integers(-1200, 1200),
)
def test_adding_months_goes_there_and_back(month, n):
    later = add_months(month, n)
    assert later.day == 1
    assert add_months(later, -n) == month
    assert (later.year - month.year) * 12 + later.month - month.month == n
