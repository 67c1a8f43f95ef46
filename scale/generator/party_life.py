"""One year of meetings with attendance, for every organisation of the tree.

The mix follows the regulations' rhythm (theme party day and committee meeting
monthly, group meetings monthly, general meeting and party lesson quarterly,
organisational life meeting yearly, the central-group study monthly above branch
level), thinned by each branch's diligence so that compliance has gaps to show. The
attendance lists are who `meetings.selectors.expected_attendees` expects.
"""

from __future__ import annotations

import datetime
import io
import random

from django.db import connection
from django.utils import timezone

from branches.models import Organisation
from meetings.models import Attendance, Meeting, MeetingKind

from .names import TOPICS
from .tree import Tree, Unit, unit_rng

Kind = Organisation.Kind
MK = MeetingKind
LEAVE_REASONS = ("出差", "病假", "培训", "值班", "事假")
NULL = "\\N"  # NULL in COPY's text format
# Meetings are written this many at a time, then their attendance.
MEETING_CHUNK = 2000


def _months(today: datetime.date) -> list[tuple[int, int]]:
    """The twelve months ending with the current one, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(12):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def _last_day(year: int, month: int) -> int:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


class PartyLifeWriter:
    def __init__(self, seed: int, tree: Tree, *, now: datetime.datetime, batch_size: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - replaced per unit below
        self.tree = tree
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.batch_size = batch_size
        self.months = _months(self.today)
        self.pending: list[tuple[Meeting, list[int], random.Random]] = []
        self.counts = {"meetings": 0, "attendance": 0}

    def _held_at(self, year: int, month: int) -> datetime.datetime | None:
        last = _last_day(year, month)
        if (year, month) == (self.today.year, self.today.month):
            last = self.today.day - 1  # only days already past
            if last < 1:
                return None
        day = self.rng.randint(1, last)
        hour = self.rng.choice((9, 10, 14, 15, 16))
        return datetime.datetime(year, month, day, hour, 0, tzinfo=self.tz)

    def _meeting(
        self,
        unit: Unit,
        kind: str,
        year: int,
        month: int,
        attendees: list[int],
        lecturer: int | None = None,
    ) -> None:
        held_at = self._held_at(year, month)
        if held_at is None or not attendees:
            return
        rng = self.rng
        draft = (self.now - held_at).days < 30 and rng.random() < 0.1
        submitted_at = None
        if not draft:
            submitted_at = min(held_at + datetime.timedelta(hours=rng.randint(2, 72)), self.now)
        recorder = unit.committee[1] if len(unit.committee) > 1 else unit.secretary
        meeting = Meeting(
            organisation=unit.org,
            kind=kind,
            held_at=held_at,
            place="党员活动室",
            host_id=unit.secretary,
            recorder_id=recorder,
            lecturer_id=lecturer,
            topic=rng.choice(TOPICS[kind]),
            content="会议记录。",
            status=Meeting.Status.DRAFT if draft else Meeting.Status.SUBMITTED,
            submitted_at=submitted_at,
            is_quorate=True,
        )
        # The attendance draws get a generator seeded from the unit's, so where a
        # chunk of meetings ends does not change them.
        self.pending.append((meeting, attendees, random.Random(rng.random())))  # noqa: S311
        if len(self.pending) >= MEETING_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        Meeting.objects.bulk_create([m for m, _, _ in self.pending], batch_size=self.batch_size)
        buffer = io.StringIO()
        rows = 0
        for meeting, attendees, rng in self.pending:
            for person_id in attendees:
                roll = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if roll < 0.88
                    else Attendance.Status.LEAVE
                    if roll < 0.95
                    else Attendance.Status.ABSENT
                )
                reason, signed_in, makeup = "", NULL, NULL
                if status == Attendance.Status.LEAVE:
                    reason = rng.choice(LEAVE_REASONS)
                if status == Attendance.Status.PRESENT:
                    if rng.random() < 0.3:
                        signed_in = (
                            meeting.held_at + datetime.timedelta(minutes=rng.randint(-10, 10))
                        ).isoformat()
                elif meeting.submitted_at and rng.random() < 0.5:
                    done = timezone.localdate(meeting.held_at) + datetime.timedelta(
                        days=rng.randint(7, 20)
                    )
                    if done <= self.today:
                        makeup = done.isoformat()
                buffer.write(
                    f"{meeting.pk}\t{person_id}\t{status.value}\t{reason}\t{signed_in}\t{makeup}\n"
                )
                rows += 1
        self._copy_attendance(buffer)
        self.counts["meetings"] += len(self.pending)
        self.counts["attendance"] += rows
        self.pending = []

    @staticmethod
    def _copy_attendance(buffer: io.StringIO) -> None:
        """COPY the attendance rows: about a million at factor 1, several times faster
        than building a model instance for each (the plain columns, no history)."""
        buffer.seek(0)
        columns = "meeting_id, person_id, status, leave_reason, signed_in_at, makeup_done_on"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {Attendance._meta.db_table} ({columns}) FROM STDIN", buffer
            )

    def write(self) -> None:
        for unit in self.tree.units:
            self.rng = unit_rng(self.seed, "meetings", unit)
            if unit.kind == Kind.BRANCH:
                self._branch(unit)
            elif unit.kind in (Kind.GENERAL_BRANCH, Kind.COMMITTEE):
                self._upper(unit)
        self.flush()

    def _branch(self, unit: Unit) -> None:
        rng, d = self.rng, unit.diligence
        party = unit.party_ids
        has_committee = len(unit.committee) >= 3
        lesson_by_secretary = False
        for year, month in self.months:
            if rng.random() < d * 0.8:
                self._meeting(unit, MK.THEME_DAY, year, month, party)
            if has_committee and rng.random() < d:
                self._meeting(unit, MK.COMMITTEE_MEETING, year, month, unit.committee)
            for group in unit.children:
                if rng.random() < d * 0.6:
                    group_unit = _GroupAsHost(group, unit)
                    self._meeting(
                        group_unit,
                        MK.GROUP_MEETING,
                        year,
                        month,
                        unit.group_members.get(group.org.pk, []),
                    )
            if month % 3 == 0 or (year, month) == (self.today.year, self.today.month):
                if month % 3 == 0 and rng.random() < d:
                    self._meeting(unit, MK.GENERAL_MEETING, year, month, party)
                if month % 3 == 0 and rng.random() < d:
                    lecturer = None
                    if year == self.today.year and not lesson_by_secretary and rng.random() < d:
                        lecturer, lesson_by_secretary = unit.secretary, True
                    elif len(unit.committee) > 1:
                        lecturer = rng.choice(unit.committee[1:])
                    self._meeting(unit, MK.PARTY_LESSON, year, month, party, lecturer)
            if month == 12 and rng.random() < d:
                self._meeting(unit, MK.ORG_LIFE, year, month, party)

    def _upper(self, unit: Unit) -> None:
        """A general branch or committee: the monthly central-group study (its
        committee and every secretary below) and its committee meetings."""
        rng = self.rng
        secretaries = [
            u.secretary for u in unit.walk() if u.secretary is not None and u.kind != Kind.GROUP
        ]
        central = list(dict.fromkeys(unit.committee + secretaries))
        for year, month in self.months:
            if rng.random() < 0.9:
                self._meeting(unit, MK.CENTRAL_STUDY, year, month, central)
            if rng.random() < 0.8:
                self._meeting(unit, MK.COMMITTEE_MEETING, year, month, unit.committee)


class _GroupAsHost:
    """A party group holds its meeting; its leader hosts, the branch's people record."""

    def __init__(self, group: Unit, branch: Unit) -> None:
        self.org = group.org
        members = branch.group_members.get(group.org.pk, [])
        self.secretary = members[0] if members else None
        self.committee = members[:2]
