"""The yearly three-meetings-one-lesson ledger (三会一课台账) as an Excel workbook.

Headers are in Chinese on purpose: the ledger is filed with the higher organisation
in the form it expects, whatever the language of the page that exported it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from branches.models import Organisation
from supplychain_party.exports import Column

from .models import Meeting, MeetingKind

HEADERS = [
    ("序号", 6), ("会议类型", 18), ("日期", 12), ("时间", 8), ("地点", 16), ("主持人", 10),
    ("记录人", 10), ("授课人", 10), ("会议主题", 30), ("应到人数", 9), ("实到人数", 9),
    ("请假人数", 9), ("缺席人数", 9), ("出席率", 9), ("主要内容", 50), ("决议事项", 30),
    ("备注", 24),
]
NOT_QUORATE = "未达到规定到会人数，会议无效，不计入“三会一课”次数"

# The ledger names each kind the way the regulations do.
KIND_NAMES = {
    MeetingKind.GENERAL_MEETING: "支部党员大会",
    MeetingKind.COMMITTEE_MEETING: "支部委员会",
    MeetingKind.GROUP_MEETING: "党小组会",
    MeetingKind.PARTY_LESSON: "党课",
    MeetingKind.THEME_DAY: "主题党日",
    MeetingKind.ORG_LIFE: "组织生活会",
    MeetingKind.CENTRAL_STUDY: "二级中心组学习",
}


def ledger_workbook(
    *, organisation: Organisation, year: int, meetings: Iterable[Meeting]
) -> Workbook:
    """One sheet, one row per submitted meeting (annotated by `with_attendance`)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年三会一课台账"
    sheet.append([f"{organisation.name} {year}年“三会一课”台账"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([name for name, _ in HEADERS])
    for column, (_, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=column).font = Font(bold=True)
    for number, meeting in enumerate(meetings, start=1):
        held = timezone.localtime(meeting.held_at)
        rate = meeting.attendance_rate
        sheet.append([
            number,
            KIND_NAMES.get(meeting.kind, meeting.kind),
            held.date(),
            held.strftime("%H:%M"),
            meeting.place,
            meeting.host.name if meeting.host else "",
            meeting.recorder.name if meeting.recorder else "",
            meeting.lecturer.name if meeting.lecturer else "",
            meeting.topic,
            meeting.expected_count,
            meeting.present_count,
            meeting.leave_count,
            meeting.absent_count,
            rate,
            meeting.content,
            meeting.resolutions,
            "" if meeting.is_quorate else NOT_QUORATE,
        ])
        row = sheet.max_row
        sheet.cell(row=row, column=3).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=14).number_format = "0%"
        for column in (15, 16):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
    sheet.freeze_panes = "A3"
    return workbook


def _status(meeting: Meeting) -> str:
    status = meeting.get_status_display()
    if meeting.is_submitted and not meeting.is_quorate:
        return f"{status} · {gettext_lazy('Not quorate')}"
    return status


# The meeting list's columns (its page and its export); rows from `meetings_for_list`.
MEETING_COLUMNS = (
    Column(gettext_lazy("Date"), lambda m: m.held_at),
    Column(gettext_lazy("Kind"), lambda m: m.get_kind_display()),
    Column(gettext_lazy("Topic"), lambda m: m.topic, width=40),
    Column(gettext_lazy("Host"), lambda m: m.host.name if m.host else "—"),
    Column(gettext_lazy("Present"), lambda m: f"{m.present_count}/{m.expected_count}",
           numeric=True),
    Column(gettext_lazy("Attendance rate"), lambda m: m.attendance_rate, numeric=True,
           number_format="0%"),
    Column(gettext_lazy("Status"), _status),
)
