"""The demo loader: a healthy tree, the intended logins, and reruns that change nothing."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from branches.models import ExternalOrganisation, Organisation, Partnership
from members import demo
from members.access import Role, scope_for
from members.models import Membership, Person, Post
from members.permissions import COMMITTEE_ADMIN_GROUP
from members.selectors import structure_warnings
from members.services import membership_start, post_assign, post_end
from tests.demo_data import load_demo

Kind = Organisation.Kind


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


# The maintained summaries say when they were last computed; a rerun recomputes them
# (the same figures, a later time) and logs its runs. Some are rewritten whole, so their
# rows are compared without their ids.
COMPUTED_AT = {
    "meetings.ComplianceSummary": ("computed_at",),
    "overview.MonthlyFigures": ("computed_at",),
    "overview.SubtreeFigures": ("computed_at", "compliance_computed_at"),
    "overview.SegmentFigures": ("id", "computed_at"),
    "members.Headcount": ("id",),
}
RUN_LOGS = {"overview.Refresh", "meetings.ComplianceSummaryRefresh"}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model (history and many-to-many tables included), but the
    time each summary row was computed and the logs of summary runs."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in RUN_LOGS:
            continue
        rows = list(model._base_manager.order_by("pk").values())
        for row in rows:
            for name in COMPUTED_AT.get(label, ()):
                row.pop(name, None)
        result[label] = sorted(rows, key=repr) if "id" in COMPUTED_AT.get(label, ()) else rows
    return result


def test_loading_twice_changes_nothing(loaded):
    assert "Created:" in loaded
    before = snapshot()

    again = load_demo()

    assert snapshot() == before
    assert "Nothing new" in again
    assert "Created:" not in again


def test_the_tree_is_sound_and_shaped_as_described(loaded):
    assert all(problems == [] for problems in Organisation.objects.find_problems())
    committee = Organisation.objects.get_root_nodes().get()
    assert (committee.name, committee.kind) == ("物资公司党委", Kind.COMMITTEE)
    tree = {
        general.name: {
            branch.name: branch.segment.code
            for branch in Organisation.objects.get_children(general)
        }
        for general in Organisation.objects.get_children(committee)
    }
    assert tree == {
        "机关党总支": {
            "计划招标党支部": "front",
            "采购合同党支部": "middle",
            "综合管理党支部": "functional",
        },
        "采购供应党总支": {"仓储配送党支部": "back", "处置质监党支部": "end"},
    }
    assert set(org("计划招标党支部").nodes.values_list("name", flat=True)) == {"招标", "计划"}
    assert set(org("处置质监党支部").nodes.values_list("name", flat=True)) == {
        "废旧物资处置",
        "质量监督",
    }
    # The contract management department sits in the 机关 general branch.
    assert Person.objects.filter(
        department="合同管理部", branch__path__startswith=org("机关党总支").path
    ).exists()


def test_every_branch_is_healthy(loaded):
    branches = list(Organisation.objects.branches())
    assert len(branches) == 5
    for branch in branches:
        people = Person.objects.filter(branch=branch)
        assert 10 <= people.party_members().count() <= 20, branch
        assert people.filter(status=Person.Status.PROBATIONARY).exists(), branch
        assert people.filter(status=Person.Status.MASSES).count() >= 3, branch
        assert people.filter(
            status__in=[Person.Status.ACTIVIST, Person.Status.APPLICANT, Person.Status.CANDIDATE]
        ).exists(), branch
        assert 3 <= Post.objects.current().committee().filter(organisation=branch).count() <= 5
        assert structure_warnings(branch) == [], branch


def test_post_holders_belong_where_they_serve(loaded):
    for post in Post.objects.select_related("person__branch", "organisation"):
        assert post.person.is_party_member, post
        if post.organisation.kind == Kind.GROUP:
            assert post.person.group == post.organisation, post
        elif post.organisation.kind == Kind.BRANCH:
            assert post.person.branch == post.organisation, post
        else:
            assert post.person.branch.path.startswith(post.organisation.path), post


def test_secretaries_carry_one_post_two_duties(loaded):
    secretaries = Post.objects.filter(role=Post.Role.SECRETARY).select_related("organisation")
    assert {post.organisation.kind for post in secretaries} == {
        Kind.COMMITTEE,
        Kind.GENERAL_BRANCH,
        Kind.BRANCH,
    }
    assert all(post.carries_two_duties for post in secretaries)
    assert secretaries.get(organisation__name="计划招标党支部").business_post == "计划管理部主任"
    for name in ("物资公司党委", "机关党总支", "采购供应党总支"):
        assert Post.objects.filter(organisation__name=name).count() >= 3, name


def test_a_branch_is_split_into_led_party_groups(loaded):
    branch = org("采购合同党支部")
    groups = list(Organisation.objects.get_children(branch))
    assert len(groups) == 2
    for group in groups:
        assert group.kind == Kind.GROUP
        assert Post.objects.filter(organisation=group, role=Post.Role.GROUP_LEADER).count() == 1
    members = Person.objects.filter(branch=branch).party_members()
    assert not members.filter(group__isnull=True).exists()
    assert (
        not Person.objects.filter(branch=branch, group__isnull=False)
        .exclude(status__in=Person.PARTY_STATUSES)
        .exists()
    )
    assert members.filter(group__in=groups).count() == members.count()


def test_people_look_real(loaded):
    people = Person.objects.all()
    assert people.count() == len(demo.people())
    assert people.values("employee_no").distinct().count() == people.count()
    assert people.values("name").distinct().count() == people.count()
    for person in people:
        assert re.fullmatch(r"WZ\d{4}", person.employee_no)
        assert re.fullmatch(r"1[3-9]\d{9}", person.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", person.name)
        assert person.department and person.job_title and person.gender and person.birth_date
        assert (person.joined_party_on is not None) == person.is_party_member
        assert (person.full_member_on is not None) == (person.status == Person.Status.FULL)
    chain = people.exclude(department__in=["综合管理部", "财务资产部", demo.LEADERSHIP])
    assert not chain.filter(node__isnull=True).exists()
    # Everyone, party member or not, is attached to one branch from the fixed start date.
    assert Membership.objects.current().count() == people.count()
    assert set(Membership.objects.values_list("started_on", flat=True)) == {demo.START}


def test_the_pairing(loaded):
    partner = ExternalOrganisation.objects.get(name="电力公司物资部党支部")
    assert partner.superior == "国网上海市电力公司"
    pairing = Partnership.objects.get(partner=partner)
    assert pairing.organisation == org("采购供应党总支")
    assert pairing.title == "结对联创“电网先锋党支部”"
    assert pairing.ended_on is None


@pytest.mark.parametrize(
    ("username", "role", "home"),
    [
        ("admin", Role.COMMITTEE, None),
        ("dangwei", Role.COMMITTEE, "物资公司党委"),
        ("zongzhi", Role.GENERAL_BRANCH, "采购供应党总支"),
        ("qianduan", Role.SECRETARY, "计划招标党支部"),
        ("zhongduan", Role.SECRETARY, "采购合同党支部"),
        ("dangyuan", Role.MEMBER, None),
    ],
)
def test_each_login_has_its_role(loaded, username, role, home):
    user = get_user_model().objects.get(username=username)
    scope = scope_for(user)
    assert scope.role == role
    assert (scope.home_organisation.name if scope.home_organisation else None) == home
    assert user.check_password(demo.DEMO_PASSWORD)
    assert username in loaded


def test_admin_logins(loaded):
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    dangwei = users.get(username="dangwei")
    assert dangwei.is_staff and not dangwei.is_superuser
    assert dangwei.groups.filter(name=COMMITTEE_ADMIN_GROUP).exists()
    assert dangwei.has_perm("members.change_person")
    assert not users.filter(is_staff=True).exclude(username__in=["admin", "dangwei"]).exists()
    # The front-end secretary is also a member of the branch; the member holds no post.
    qianduan = Person.objects.get(user__username="qianduan")
    assert qianduan.branch == org("计划招标党支部") and qianduan.is_party_member
    dangyuan = Person.objects.get(user__username="dangyuan")
    assert dangyuan.branch == org("计划招标党支部")
    assert dangyuan.status == Person.Status.FULL
    assert not dangyuan.posts.exists()


@pytest.mark.parametrize(
    ("username", "shows"),
    [("dangwei", "物资公司党委"), ("zongzhi", "采购供应党总支"), ("admin", "物资公司党委")],
)
def test_overview_home(loaded, username, shows):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    assert "members/overview.html" in [t.name for t in response.templates]
    assert shows in response.content.decode()


def test_secretary_home_is_their_branch(loaded):
    client = Client()
    assert client.login(username="qianduan", password=demo.DEMO_PASSWORD)
    response = client.get("/")
    branch = org("计划招标党支部")
    assert response.status_code == 302
    assert response["Location"] == reverse("branches:organisation_detail", args=[branch.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert branch.name in page.content.decode()


def test_member_home_is_their_own_page(loaded):
    client = Client()
    client.force_login(get_user_model().objects.get(username="dangyuan"))
    response = client.get("/")
    assert response.status_code == 200
    assert "members/member_home.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert "计划招标党支部" in content and "林晓雯" in content


def test_a_rerun_keeps_what_was_changed_by_hand(loaded):
    users = get_user_model().objects
    dangyuan = users.get(username="dangyuan")
    dangyuan.set_password("changed-by-the-user")
    dangyuan.save()
    person = Person.objects.get(user=dangyuan)
    person.job_title = "招标文件审核专责"
    person.save()
    # A secretary replaced, a member moved to another branch, a person deleted.
    branch = org("处置质监党支部")
    old = Post.objects.get(organisation=branch, role=Post.Role.SECRETARY)
    post_end(post=old, on=demo.START.replace(year=2025))
    successor = (
        Person.objects.filter(branch=branch, status=Person.Status.FULL)
        .exclude(posts__isnull=False)
        .first()
    )
    post_assign(
        person=successor,
        organisation=branch,
        role=Post.Role.SECRETARY,
        on=demo.START.replace(year=2025),
    )
    moved = Person.objects.filter(branch=org("仓储配送党支部"), posts__isnull=True).first()
    membership_start(person=moved, branch=branch, on=demo.START.replace(year=2025))
    Person.objects.filter(employee_no="WZ1020").delete()
    before = snapshot()

    out = load_demo()

    after = snapshot()
    dangyuan.refresh_from_db()
    assert dangyuan.check_password("changed-by-the-user")
    person.refresh_from_db()
    assert person.job_title == "招标文件审核专责"
    moved.refresh_from_db()
    assert moved.branch == branch
    assert Post.objects.current().get(organisation=branch, role=Post.Role.SECRETARY).person == (
        successor
    )
    # Only the deleted person came back (with their membership and history rows, and
    # counted in their branch's headcount).
    assert "Created: organisations: 0, people: 1, memberships: 1" in out
    assert Person.objects.filter(employee_no="WZ1020").exists()
    changed = {label for label in after if after[label] != before[label]}
    assert changed == {
        "members.Headcount",
        "members.Person",
        "members.HistoricalPerson",
        "members.Membership",
        "members.HistoricalMembership",
    }


def test_it_refuses_to_load_the_demo_into_a_production_like_database(db):
    """DEBUG is off in the test settings, as in production: without --force, nothing."""
    from django.core.management import CommandError

    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert get_user_model().objects.count() == users


# --- Party life (meetings.demo) ---


def test_the_branches_have_a_year_of_party_life(loaded):
    from django.utils import timezone

    from meetings import demo as meetings_demo
    from meetings.models import Attendance, Meeting, MeetingKind

    front = org("计划招标党支部")
    start = meetings_demo.anchor()
    months = meetings_demo.past_months(start)
    submitted = Meeting.objects.submitted()
    held = {
        (m.kind, timezone.localtime(m.held_at).month) for m in submitted.filter(organisation=front)
    }
    # Every past month its committee meeting and theme day; nothing yet this month,
    # which the secretary is left to record.
    for _year, month in months:
        assert (MeetingKind.COMMITTEE_MEETING, month) in held
        assert (MeetingKind.THEME_DAY, month) in held
    assert not Meeting.objects.filter(held_at__date__gte=start).exists()
    assert not Meeting.objects.drafts().exists()
    assert submitted.filter(
        organisation=front, kind=MeetingKind.PARTY_LESSON, lecturer__user__username="qianduan"
    ).exists()
    # The committee's monthly central-group study, every past month.
    committee_studies = submitted.filter(
        organisation=org("物资公司党委"), kind=MeetingKind.CENTRAL_STUDY
    )
    assert committee_studies.count() == len(months)
    # A realistic mix: mostly present, some on leave with reasons, a few absent.
    rows = Attendance.objects.filter(meeting__organisation=front)
    counts = {status: rows.filter(status=status).count() for status in Attendance.Status}
    assert counts["present"] > 5 * (counts["leave"] + counts["absent"])
    assert counts["leave"] > counts["absent"] > 0
    assert not rows.filter(status="leave", leave_reason="").exists()
    assert rows.filter(makeup_done_on__isnull=False).exists()
    # A couple of gaps: a general meeting without its quorum, a secretary who has not
    # given a lesson this year.
    assert submitted.filter(is_quorate=False).count() == 1
    assert not submitted.filter(
        organisation=org("处置质监党支部"),
        kind=MeetingKind.PARTY_LESSON,
        lecturer__posts__role="secretary",
    ).exists()
    assert "meetings (submitted)" in loaded and "attendance records" in loaded


def test_the_front_secretary_sees_this_months_obligations_open(loaded):
    from meetings.selectors import obligations_of

    front = org("计划招标党支部")
    today = __import__("django.utils.timezone", fromlist=["localdate"]).localdate()
    compliance = obligations_of(front, on=today)
    month = {o.rule.meeting_kind: o for o in compliance.obligations if o.period.kind == "month"}
    assert not month["committee_meeting"].is_met  # the branch has a committee (12 full)
    assert not month["theme_day"].is_met
    secretary_lesson = next(o for o in compliance.obligations if o.rule.given_by == "secretary")
    assert secretary_lesson.is_met == (today.month > 3)
