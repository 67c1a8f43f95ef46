"""Journey 1: a branch secretary logs a branch general meeting with its attendance,
submits it, and sees it in the meeting list and in the branch's obligations."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Attendance, Meeting, MeetingKind
from tests.browser.conftest import log_in, zh, zh_label

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOPIC = "学习贯彻党的二十届四中全会精神"


def held_at() -> str:
    """Two hours ago (never before today's midnight, so it counts for this month)."""
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(hours=2), start).strftime("%Y-%m-%dT%H:%M")


def obligation_row(tab):
    return tab.locator("tr", has_text=zh_label(MeetingKind.GENERAL_MEETING.label)).first


def test_secretary_logs_a_meeting(world, live_server, page, shots):
    tab = page
    log_in(tab, live_server, "secretary")
    # A secretary's home is their branch's page, with this month's obligations.
    expect(tab.get_by_role("heading", name=world.branch.name)).to_be_visible()
    expect(obligation_row(tab)).not_to_contain_text(zh("Done"))
    shots(tab, "branch page before")

    tab.get_by_role("link", name=zh("Log a meeting")).click()
    shots(tab, "choose the kind")
    tab.get_by_role("link", name=zh_label(MeetingKind.GENERAL_MEETING.label)).click()

    tab.locator("input[name=held_at]").fill(held_at())
    tab.locator("input[name=place]").fill("物资公司三楼会议室")
    tab.locator("input[name=topic]").fill(TOPIC)
    tab.locator("select[name=host]").select_option(label=world.secretary.name)
    tab.locator("select[name=recorder]").select_option(label=world.group_leader.name)
    tab.locator("textarea[name=content]").fill("集体学习全会公报，结合采购合同业务交流体会。")
    tab.locator("textarea[name=resolutions]").fill("各党小组本月内完成专题研讨。")
    # Attendance: the member is away on business, everyone else is present.
    member_row = tab.locator("tr", has_text=world.member.name)
    member_row.locator("select").select_option(label=zh_label(Attendance.Status.LEAVE.label))
    member_row.locator("input[type=text]").fill("出差（供应商驻厂监造）")
    shots(tab, "meeting form filled")
    tab.get_by_role("button", name=zh("Save")).click()

    expect(tab.get_by_text(zh("The meeting was saved."))).to_be_visible()
    expect(tab.get_by_role("heading", name=TOPIC)).to_be_visible()
    expect(tab.get_by_text("出差（供应商驻厂监造）")).to_be_visible()
    shots(tab, "meeting saved as draft")

    tab.get_by_role("button", name=zh("Submit as held")).click()
    expect(
        tab.get_by_text(
            zh("The meeting was submitted; it now counts for the organisation's obligations.")
        )
    ).to_be_visible()
    shots(tab, "meeting submitted")

    tab.locator("ul.nav-tabs").get_by_role("link", name=zh("Meetings"), exact=True).click()
    row = tab.locator("tr", has_text=TOPIC)
    expect(row).to_be_visible()
    shots(tab, "meeting list")

    tab.locator("ul.nav-tabs").get_by_role("link", name=zh("Obligations"), exact=True).click()
    own = tab.locator(".card", has=tab.get_by_role("link", name=world.branch.name, exact=True))
    expect(obligation_row(own)).to_contain_text("1/1")
    expect(obligation_row(own)).to_contain_text(zh("Done"))
    shots(tab, "obligations")

    tab.locator("ul.nav-tabs").get_by_role("link", name=world.branch.name).click()
    expect(obligation_row(tab)).to_contain_text("1/1")
    expect(obligation_row(tab)).to_contain_text(zh("Done"))
    shots(tab, "branch page after")

    meeting = Meeting.objects.get(topic=TOPIC)
    assert meeting.is_submitted and meeting.is_quorate
    assert meeting.attendances.get(person=world.member).status == Attendance.Status.LEAVE
