"""Monthly recognition and the democratic appraisal: the red flag goes to the best
branch by the rule in the admin, once a month; post stars once per branch and month;
more than a third graded excellent is warned."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments import services
from assessments.models import AppraisalGrade, PostStar, RedFlag, RedFlagWeight
from meetings import services as meetings
from meetings.models import MeetingKind
from tests.assessments_helpers import make_scheme
from tests.factories import make_member

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _meeting(organisation, by, statuses):
    meeting = meetings.meeting_create(
        organisation=organisation, kind=MeetingKind.THEME_DAY,
        data=meetings.MeetingData(held_at=datetime.datetime(2026, 3, 10, 15, tzinfo=SH),
                                  topic="主题党日"),
        by=by, attendance=[meetings.AttendanceEntry(p.pk, s) for p, s in statuses.items()])
    meetings.meeting_submit(meeting=meeting, by=by)


def test_it_awards_the_red_flag_to_the_best_branch_by_the_rule(world):
    RedFlagWeight.objects.create(indicator="attendance_rate", weight=100)
    _meeting(world.branch, world.secretary.user, {
        world.member: "present", world.secretary: "present", world.group_leader: "present"})
    _meeting(world.other_branch, world.other_secretary.user, {
        world.other_member: "present", world.other_secretary: "absent"})

    flag = services.red_flag_award(month=datetime.date(2026, 3, 20))
    assert (flag.month, flag.branch, flag.score) == (MONTH, world.branch, 100)
    assert world.other_branch.name in flag.evidence  # every branch's score is kept

    with pytest.raises(ValidationError, match="already awarded"):
        services.red_flag_award(month=MONTH)
    assert RedFlag.objects.count() == 1


def test_it_refuses_a_red_flag_without_a_rule(world):
    with pytest.raises(ValidationError, match="No red flag rule"):
        services.red_flag_award(month=MONTH)


def test_it_names_one_post_star_per_branch_and_month(world):
    services.post_star_award(branch=world.branch, person=world.member, month=MONTH)
    with pytest.raises(ValidationError, match="already has a post star"):
        services.post_star_award(branch=world.branch, person=world.group_leader,
                                 month=datetime.date(2026, 3, 31))
    with pytest.raises(ValidationError, match="does not belong"):
        services.post_star_award(branch=world.other_branch, person=world.member, month=MONTH)
    assert PostStar.objects.count() == 1


def test_it_warns_when_more_than_a_third_are_excellent(world):
    scheme = make_scheme()
    for n in range(3):  # 6 party members: member, secretary, group leader + 3
        make_member(world.branch, name=f"评议党员{n}")
    appraisal = services.appraisal_open(scheme=scheme, branch=world.branch)
    entries = list(appraisal.entries.all())
    assert len(entries) == 6
    for entry in entries:
        entry.proposed_grade = AppraisalGrade.QUALIFIED
        entry.save()
    for entry in entries[:2]:  # 2 of 6: at the limit
        entry.proposed_grade = AppraisalGrade.EXCELLENT
        entry.save()
    assert services.appraisal_warnings(appraisal=appraisal) == []

    entries[2].proposed_grade = AppraisalGrade.EXCELLENT
    entries[2].save()
    (warning,) = services.appraisal_warnings(appraisal=appraisal)
    assert "3 of 6 members are graded excellent; the rule allows at most 2" in warning

    warnings = services.appraisal_decide(appraisal=appraisal,
                                         decided_on=datetime.date(2026, 12, 20))
    assert warnings == [warning]
    tally = services.appraisal_tally(appraisal=appraisal)
    assert tally.by_grade == {AppraisalGrade.EXCELLENT: 3, AppraisalGrade.QUALIFIED: 3}
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.appraisal_entry_save(entry=entries[0])


def test_it_refuses_more_votes_than_members(world):
    appraisal = services.appraisal_open(scheme=make_scheme(), branch=world.branch)
    entry = appraisal.entries.first()
    entry.votes_excellent = 4
    with pytest.raises(ValidationError, match="4 votes but only 3 members vote"):
        services.appraisal_entry_save(entry=entry)


def test_it_joins_the_branch_total_and_the_business_score_for_two_duties(world):
    from decimal import Decimal

    from members.models import Post

    scheme = make_scheme()
    world.branch.refresh_from_db()
    services.assessment_open(scheme=scheme, branch=world.branch)  # nothing held: 0
    post = Post.objects.get(person=world.secretary)
    with pytest.raises(ValidationError, match="not a part-time secretary"):
        services.duty_assessment_save(scheme=scheme, post=post, business_score=Decimal(90))
    post.business_post = "合同管理部主任"
    post.save()
    duty = services.duty_assessment_save(scheme=scheme, post=post, business_score=Decimal(90))
    assert (duty.party_score, duty.total) == (Decimal("0.00"), Decimal("45.00"))
