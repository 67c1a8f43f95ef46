"""Two people editing the same record: both open the edit page, both save; the first
is saved, the second is told on the form and nothing of the first is overwritten.
Every portal page that edits an existing record, and the admin's change pages of the
main models (the shared check: `supplychain_party.concurrency`)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.services import ActivityData, activity_create
from assessments import services as assessments
from assessments.models import Appraisal, BranchAssessment, DutyAssessment
from dues.models import Declaration
from dues.services import DeclarationData, declaration_record
from elections.models import Election
from elections.services import election_create
from liaison.models import Visit
from liaison.services import VisitData, visit_file
from meetings.models import Meeting, MeetingKind
from meetings.services import MeetingData, meeting_create, meeting_update, meeting_version
from members.models import Person, Post
from notices.models import Notice
from notices.services import NoticeData, notice_create
from serviceteam.models import ServiceRecord, TeamMember
from serviceteam.services import (
    RecordData,
    service_record_create,
    service_team_create,
    team_member_add,
)
from supplychain_party.concurrency import STALE_MESSAGE, StaleEdit
from tests.admin_helpers import form_data, forms_data, url
from tests.assessments_helpers import YEAR, make_scheme
from tests.concurrency import at_once
from tests.factories import UserFactory
from vanguard.models import Designation, Pledge
from vanguard.services import DesignationData, designation_create, pledge_save

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english(settings, world):
    # The message is matched in English, the source language.
    settings.LANGUAGE_CODE = "en"
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()  # a sibling sorted before it renumbered its path


def opened(client: Client, path: str) -> dict:
    """The edit page as a browser would post it back unchanged."""
    page = client.get(path)
    assert page.status_code == 200
    forms = [page.context["form"]]
    formset = page.context.get("formset")
    if formset is not None:
        forms += [formset.management_form, *formset.forms]
    data = forms_data(forms)
    assert data["version"]
    return data


def race(
    path: str, first: Client, second: Client, first_changes: dict, second_changes: dict
) -> None:
    """Both open the page, the first saves, then the second saves: refused, on the form."""
    first_data, second_data = opened(first, path), opened(second, path)
    saved = first.post(path, {**first_data, **first_changes})
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    refused = second.post(path, {**second_data, **second_changes})
    assert refused.status_code == 200
    assert str(STALE_MESSAGE) in refused.context["form"].non_field_errors()


# --- The portal's edit pages ---------------------------------------------------------


@pytest.fixture
def meeting(world) -> Meeting:
    return meeting_create(
        organisation=world.branch,
        kind=MeetingKind.COMMITTEE_MEETING,
        by=None,
        data=MeetingData(held_at=timezone.now() - datetime.timedelta(days=1), topic="五月工作"),
    )


def test_it_refuses_the_second_save_of_a_meeting(login, world, meeting):
    path = reverse("meetings:meeting_edit", args=[meeting.pk])
    race(path, login("secretary"), login("general"), {"topic": "甲的议题"}, {"topic": "乙的议题"})
    meeting.refresh_from_db()
    assert meeting.topic == "甲的议题"


def test_a_member_signing_in_while_the_secretary_edits_makes_the_page_stale(login, world, meeting):
    """The attendance is part of what the page overwrites, so a change there counts."""
    path = reverse("meetings:meeting_edit", args=[meeting.pk])
    client = login("secretary")
    data = opened(client, path)
    row = next(key for key, value in data.items() if value == str(world.secretary.pk))
    status = row.replace("-person", "-status")
    meeting.attendances.update_or_create(person=world.secretary, defaults={"status": "present"})
    refused = client.post(path, {**data, status: "absent"})
    assert str(STALE_MESSAGE) in refused.context["form"].non_field_errors()
    assert meeting.attendances.get(person=world.secretary).status == "present"


def test_it_saves_when_nobody_else_did(login, world, meeting):
    path = reverse("meetings:meeting_edit", args=[meeting.pk])
    client = login("secretary")
    response = client.post(path, {**opened(client, path), "topic": "改过的议题"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "改过的议题"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_saves_at_the_same_moment_exactly_one_wins(world):
    """The token is checked under the row's lock: two saves from the same page version
    at once cannot both pass the check."""
    meeting = meeting_create(
        organisation=world.branch,
        kind=MeetingKind.COMMITTEE_MEETING,
        by=None,
        data=MeetingData(held_at=timezone.now() - datetime.timedelta(days=1), topic="原议题"),
    )
    version = meeting_version(meeting)

    def save(topic):
        return lambda: (
            meeting_update(
                meeting=meeting,
                data=MeetingData(held_at=meeting.held_at, topic=topic),
                attendance=[],
                by=None,
                version=version,
            ).topic
        )

    results, errors = at_once(save("甲"), save("乙"))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleEdit)
    assert Meeting.objects.get(pk=meeting.pk).topic == results[0]


def test_it_refuses_the_second_save_of_a_visit(login, world):
    """The visitor's two tabs."""
    visit = visit_file(
        visitor=world.member,
        data=VisitData(visited=world.masses, visited_on=TODAY, method="phone", discussion="问候"),
    )
    path = reverse("liaison:visit_edit", args=[visit.pk])
    race(path, login("member"), login("member"), {"discussion": "甲"}, {"discussion": "乙"})
    assert Visit.objects.get(pk=visit.pk).discussion == "甲"


def test_it_refuses_the_second_save_of_an_activity(login, world):
    activity = activity_create(
        organisation=world.branch,
        speakers=[],
        attendees=[],
        by=None,
        data=ActivityData(kind=Activity.Kind.TEAM_ACTIVITY, title="读书会", held_on=YESTERDAY),
    )
    path = reverse("activities:activity_edit", args=[activity.pk])
    race(path, login("secretary"), login("general"), {"title": "甲"}, {"title": "乙"})
    assert Activity.objects.get(pk=activity.pk).title == "甲"


def test_it_refuses_the_second_save_of_a_service_record(login, world):
    team = service_team_create(name="服务队", organisation=world.general)
    team_member_add(
        team=team,
        person=world.member,
        role=TeamMember.Role.CAPTAIN,
        joined_on=datetime.date(2025, 1, 1),
    )
    record = service_record_create(
        team=team,
        members=[world.member],
        by=world.member,
        data=RecordData(
            served_on=YESTERDAY,
            kind="on_site",
            unit_kind="project_unit",
            unit_name="项目部",
            work_done="协调到货",
        ),
    )
    path = reverse("serviceteam:record_edit", args=[record.pk])
    race(path, login("member"), login("general"), {"work_done": "甲"}, {"work_done": "乙"})
    assert ServiceRecord.objects.get(pk=record.pk).work_done == "甲"


def test_it_refuses_the_second_save_of_a_designation(login, world):
    designation = designation_create(
        organisation=world.branch,
        responsible=[world.member],
        by=None,
        data=DesignationData(kind=Designation.Kind.MODEL_POST, name="示范岗", starts_on=TODAY),
    )
    path = reverse("vanguard:designation_edit", args=[designation.pk])
    race(path, login("secretary"), login("general"), {"name": "甲"}, {"name": "乙"})
    assert Designation.objects.get(pk=designation.pk).name == "甲"


def test_it_refuses_the_second_save_of_a_pledge(login, world):
    pledge_save(person=world.member, year=TODAY.year, text="初稿", submit=False, by=None)
    path = reverse("vanguard:pledge_mine")
    race(path, login("member"), login("member"), {"text": "甲"}, {"text": "乙"})
    assert Pledge.objects.get(person=world.member).text == "甲"


def test_the_same_pledge_saved_twice_is_no_conflict(login, world):
    """A double click sends the same text twice: nothing to overwrite, so no message."""
    pledge_save(person=world.member, year=TODAY.year, text="初稿", submit=False, by=None)
    client = login("member")
    data = {**opened(client, reverse("vanguard:pledge_mine")), "text": "定稿"}
    assert client.post(reverse("vanguard:pledge_mine"), data).status_code == 302
    assert client.post(reverse("vanguard:pledge_mine"), data).status_code == 302


def test_it_refuses_the_second_save_of_an_election(login, world):
    election = election_create(
        organisation=world.branch,
        kind=Election.Kind.REGULAR,
        seats=3,
        planned_on=TODAY + datetime.timedelta(days=30),
        is_contested=True,
        by=None,
    )
    path = reverse("elections:election_edit", args=[election.pk])
    race(path, login("secretary"), login("general"), {"seats": "5"}, {"seats": "7"})
    assert Election.objects.get(pk=election.pk).seats == 5


def test_it_refuses_the_second_save_of_a_notice(login, world):
    notice = notice_create(
        organisation=world.branch, by=None, data=NoticeData(title="通知", body="正文")
    )
    path = reverse("notices:edit", args=[notice.pk])
    race(path, login("secretary"), login("general"), {"title": "甲"}, {"title": "乙"})
    assert Notice.objects.get(pk=notice.pk).title == "甲"


def test_it_refuses_the_second_save_of_the_branch_scores(login, world):
    make_scheme()
    detail = reverse("assessments:detail", args=[world.branch.pk, YEAR])
    first, second = login("secretary"), login("general")
    pages = [client.get(detail) for client in (first, second)]
    assessment = BranchAssessment.objects.get(branch=world.branch)
    manual = assessment.scores.get(criterion__name="供应及时率")
    enter = reverse("assessments:scores_enter", args=[world.branch.pk, YEAR])
    for client, page, value in ((first, pages[0], "18"), (second, pages[1], "12")):
        client.post(enter, {"version": page.context["version"], f"value-{manual.pk}": value})
    manual.refresh_from_db()
    assert manual.entered_value == 18
    refused = second.get(detail)
    assert str(STALE_MESSAGE) in [str(m) for m in refused.context["messages"]]


def test_it_refuses_the_second_save_of_the_appraisal_grades(login, world):
    appraisal = assessments.appraisal_open(scheme=make_scheme(), branch=world.branch)
    entry = appraisal.entries.get(person=world.member)
    page = reverse("assessments:branch_appraisal", args=[world.branch.pk, YEAR])
    save = reverse("assessments:branch_appraisal_grades", args=[world.branch.pk, YEAR])
    first, second = login("secretary"), login("general")
    versions = [client.get(page).context["version"] for client in (first, second)]
    first.post(save, {"version": versions[0], f"proposed-{entry.pk}": "excellent"})
    response = second.post(
        save, {"version": versions[1], f"proposed-{entry.pk}": "basic"}, follow=True
    )
    assert str(STALE_MESSAGE) in [str(m) for m in response.context["messages"]]
    entry.refresh_from_db()
    assert entry.proposed_grade == "excellent"


def test_it_refuses_the_second_save_of_a_self_assessment(login, world):
    """The member's two tabs."""
    appraisal = assessments.appraisal_open(scheme=make_scheme(), branch=world.branch)
    page = reverse("assessments:my_appraisal", args=[YEAR])
    first, second = login("member"), login("member")
    versions = [client.get(page).context["version"] for client in (first, second)]
    first.post(page, {"version": versions[0], "self_assessment": "甲"})
    response = second.post(page, {"version": versions[1], "self_assessment": "乙"}, follow=True)
    assert str(STALE_MESSAGE) in [str(m) for m in response.context["messages"]]
    assert appraisal.entries.get(person=world.member).self_assessment == "甲"


def test_the_admin_refuses_the_second_save_of_an_appraisal_entry(admins, world):
    appraisal = assessments.appraisal_open(scheme=make_scheme(), branch=world.branch)
    path = url(Appraisal, "change", appraisal.pk)
    first, second = admins
    first_data, second_data = form_data(first.get(path)), form_data(second.get(path))
    field = next(
        key for key, value in first_data.items() if key.endswith("-follow_up") and "entries" in key
    )
    assert first.post(path, {**first_data, field: "甲"}).status_code == 302
    refused = second.post(path, {**second_data, field: "乙"})
    assert refused.status_code == 200
    errors = [
        str(e)
        for f in refused.context["inline_admin_formsets"][0].formset.forms
        for e in f.non_field_errors()
    ]
    assert str(STALE_MESSAGE) in errors
    assert {e.follow_up for e in appraisal.entries.all()} >= {"甲"}


# --- The admin's change pages ---------------------------------------------------------


@pytest.fixture
def admins(superuser) -> tuple[Client, Client]:
    other = Client()
    other.force_login(UserFactory(username="superuser2", is_staff=True, is_superuser=True))
    return superuser, other


def admin_race(path: str, admins, first_changes: dict, second_changes: dict) -> None:
    first, second = admins
    first_data, second_data = form_data(first.get(path)), form_data(second.get(path))
    assert first_data["version"]
    saved = first.post(path, {**first_data, **first_changes})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    refused = second.post(path, {**second_data, **second_changes})
    assert refused.status_code == 200
    assert str(STALE_MESSAGE) in refused.context["adminform"].form.non_field_errors()


def test_the_admin_refuses_the_second_save_of_a_person(admins, world):
    admin_race(
        url(Person, "change", world.member.pk),
        admins,
        {"department": "甲部门"},
        {"department": "乙部门"},
    )
    assert Person.objects.get(pk=world.member.pk).department == "甲部门"


def test_the_admin_refuses_the_second_save_of_a_post(admins, world):
    post = Post.objects.get(person=world.secretary)
    admin_race(
        url(Post, "change", post.pk), admins, {"business_post": "甲"}, {"business_post": "乙"}
    )
    assert Post.objects.get(pk=post.pk).business_post == "甲"


def test_the_admin_refuses_the_second_save_of_a_post_inline_on_the_persons_page(admins, world):
    path = url(Person, "change", world.secretary.pk)
    first, second = admins
    first_data, second_data = form_data(first.get(path)), form_data(second.get(path))
    field = next(key for key in first_data if key.endswith("-business_post"))
    assert first.post(path, {**first_data, field: "甲"}).status_code == 302
    refused = second.post(path, {**second_data, field: "乙"})
    assert refused.status_code == 200
    assert Post.objects.get(person=world.secretary).business_post == "甲"
    errors = [
        str(e)
        for f in refused.context["inline_admin_formsets"][1].formset.forms
        for e in f.non_field_errors()
    ]
    assert str(STALE_MESSAGE) in errors


def test_the_admin_saves_a_person_page_whose_posts_someone_else_changed(admins, world):
    """Only rows the user changed are checked: an untouched inline row is not stale."""
    path = url(Person, "change", world.secretary.pk)
    first, second = admins
    first_data, second_data = form_data(first.get(path)), form_data(second.get(path))
    field = next(key for key in first_data if key.endswith("-business_post"))
    assert first.post(path, {**first_data, field: "甲"}).status_code == 302
    # The second user changes the person only; their post row posts what it now holds.
    response = second.post(path, {**second_data, field: "甲", "note": "乙的备注"})
    assert response.status_code == 302
    assert Person.objects.get(pk=world.secretary.pk).note == "乙的备注"


def test_the_admin_refuses_the_second_save_of_a_meeting(admins, world, meeting):
    admin_race(url(Meeting, "change", meeting.pk), admins, {"topic": "甲"}, {"topic": "乙"})
    assert Meeting.objects.get(pk=meeting.pk).topic == "甲"


def test_the_admin_refuses_the_second_save_of_a_visit(admins, world):
    visit = visit_file(
        visitor=world.member,
        data=VisitData(visited=world.masses, visited_on=TODAY, method="phone", discussion="问候"),
    )
    admin_race(url(Visit, "change", visit.pk), admins, {"discussion": "甲"}, {"discussion": "乙"})
    assert Visit.objects.get(pk=visit.pk).discussion == "甲"


def test_the_admin_refuses_a_decision_on_an_assessment_someone_else_decided(admins, world):
    assessment = assessments.assessment_open(scheme=make_scheme(), branch=world.branch)
    BranchAssessment.objects.filter(pk=assessment.pk).update(state="submitted")
    admin_race(
        url(BranchAssessment, "change", assessment.pk),
        admins,
        {"decision": "return", "comment": "补充材料"},
        {"decision": "approve", "comment": ""},
    )
    assessment.refresh_from_db()
    assert (assessment.state, assessment.last_comment) == ("returned", "补充材料")


def test_the_admin_refuses_the_second_save_of_a_duty_assessment(admins, world):
    scheme = make_scheme()
    post = Post.objects.get(person=world.secretary)
    post.business_post = "合同管理部主任"
    post.save()
    duty = assessments.duty_assessment_save(scheme=scheme, post=post, business_score=80)
    admin_race(
        url(DutyAssessment, "change", duty.pk),
        admins,
        {"business_score": "90"},
        {"business_score": "70"},
    )
    assert DutyAssessment.objects.get(pk=duty.pk).business_score == 90


def test_the_admin_refuses_the_second_save_of_a_notice(admins, world):
    notice = notice_create(
        organisation=world.branch, by=None, data=NoticeData(title="通知", body="正文")
    )
    admin_race(url(Notice, "change", notice.pk), admins, {"title": "甲"}, {"title": "乙"})
    assert Notice.objects.get(pk=notice.pk).title == "甲"


def test_the_admin_refuses_the_second_correction_of_a_declaration(admins, world):
    declaration = declaration_record(
        person=world.member,
        by=None,
        data=DeclarationData(
            year=TODAY.year, from_month=1, category="working", monthly_income=Decimal(8000)
        ),
    )
    admin_race(
        url(Declaration, "change", declaration.pk),
        admins,
        {"monthly_income": "8100"},
        {"monthly_income": "8200"},
    )
    assert Declaration.objects.get(pk=declaration.pk).monthly_income == 8100


def test_the_admin_still_reverts_a_person_to_an_earlier_version(admins, world):
    """simple_history's revert page hands the form a historical copy; the token is the
    current row's, so reverting is not refused as stale."""
    first, _second = admins
    world.member.department = "新部门"
    world.member.save()
    old = world.member.history.order_by("history_id").first()
    path = reverse("admin:members_person_simple_history", args=[world.member.pk, old.history_id])
    assert first.post(path, form_data(first.get(path))).status_code == 302
    assert Person.objects.get(pk=world.member.pk).department == old.department
