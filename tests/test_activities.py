"""Activities, joint projects and the document library: scoping of attendees and
pages, append-only progress with percent 0-100, versioned documents whose uploads are
checked by content, scoped downloads, the role matrix and pinned query counts."""

import datetime
import io
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, Document, DocumentVersion, JointProject, ProjectProgress
from activities.services import (
    ActivityData,
    SpeakerEntry,
    activity_create,
    document_create,
    progress_add,
    project_create,
    version_add,
)
from branches.models import ExternalOrganisation, Partnership
from tests.factories import make_member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name="制度.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def english(world, settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path
    for org in (
        world.committee,
        world.general,
        world.branch,
        world.group,
        world.other_branch,
        world.functional,
    ):
        org.refresh_from_db()


def today():
    return timezone.localdate()


def forum(world, org=None, by=None, attendees=(), **fields):
    data = ActivityData(
        kind=fields.pop("kind", Activity.Kind.TECH_FORUM),
        title=fields.pop("title", "智慧供应链讲座"),
        held_on=fields.pop("held_on", today() - datetime.timedelta(days=3)),
    )
    return activity_create(
        organisation=org or world.branch,
        data=data,
        speakers=[
            SpeakerEntry(person=world.member, topic="电子商务平台"),
            SpeakerEntry(outside_name="外请专家", topic="物联网"),
        ],
        attendees=list(attendees),
        by=by or world.secretary.user,
        **fields,
    )


# --- Activities ---------------------------------------------------------------------


def test_the_secretary_records_a_forum_with_speakers_and_attendees(world, login):
    secretary = login("secretary")
    response = secretary.post(
        f"/activities/org/{world.branch.pk}/new/",
        {
            "kind": "staff_lecture",
            "title": "员工讲大家听：合同履约",
            "held_on": "2026-01-05",
            "place": "三楼会议室",
            "member_speakers": [world.member.pk],
            "outside_speakers": "外部讲师：质量监督",
            "attendees": [world.member.pk, world.masses.pk],
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get()
    assert activity.speakers.count() == 2 and activity.attendances.count() == 2
    page = secretary.get(f"/activities/{activity.pk}/").content.decode()
    assert "外部讲师" in page and "王群众" in page
    member_page = login("member").get(f"/activities/{activity.pk}/")
    assert member_page.status_code == 200  # organised by the member's own branch
    assert login("other_member").get(f"/activities/{activity.pk}/").status_code == 404


def test_a_double_submit_records_one_activity(world):
    token = uuid.uuid4()
    forum(world, form_token=token)
    forum(world, form_token=token)
    assert Activity.objects.count() == 1


def test_attendees_outside_the_leaders_scope_are_refused(world, login):
    with pytest.raises(ValidationError) as error:
        forum(world, attendees=[world.member, world.other_member])
    assert "李党员 is outside the organisations you lead" in str(error.value)
    assert Activity.objects.count() == 0
    response = login("secretary").post(
        f"/activities/org/{world.branch.pk}/new/",
        {
            "kind": "tech_forum",
            "title": "论坛",
            "held_on": "2026-01-05",
            "attendees": [world.other_member.pk],
        },
    )
    assert response.status_code == 200 and Activity.objects.count() == 0


def test_bad_activity_input_is_refused_and_nothing_saved(world, login):
    with pytest.raises(ValidationError) as error:
        forum(
            world, title=" ", held_on=today() + datetime.timedelta(days=5), attendees=[world.member]
        )
    messages = " ".join(error.value.messages)
    assert "Give the activity a title" in messages and "once the activity has" in messages
    with pytest.raises(ValidationError) as error:
        forum(world, by=world.other_secretary.user)
    assert "do not lead" in str(error.value)
    with pytest.raises(ValidationError):
        activity_create(
            organisation=world.branch,
            by=world.secretary.user,
            data=ActivityData(kind="tech_forum", title="x", held_on=today()),
            speakers=[SpeakerEntry(person=world.member, outside_name="也填了")],
            attendees=[],
        )
    assert Activity.objects.count() == 0
    assert (
        login("other_secretary").get(f"/activities/org/{world.branch.pk}/new/").status_code == 404
    )


def test_a_company_forum_is_seen_by_every_member(world, login):
    activity = forum(
        world,
        org=world.committee,
        by=world.committee_secretary.user,
        attendees=[world.other_member],
    )
    for persona in ("member", "other_member", "secretary", "general"):
        assert login(persona).get(f"/activities/{activity.pk}/").status_code == 200
    assert activity.title in login("member").get("/activities/").content.decode()


@pytest.mark.parametrize(
    "persona", ["anonymous", "unlinked", "member", "secretary", "general", "committee"]
)
def test_every_page_opens_for_every_role(world, login, persona):
    client = login(persona)
    for url in ("/activities/", "/activities/projects/", "/activities/documents/"):
        response = client.get(url)
        assert response.status_code == (302 if persona == "anonymous" else 200), url


def test_filters_by_kind_year_and_organiser(world, login):
    forum(world, title="科技论坛甲")
    forum(
        world,
        title="文化讲坛乙",
        kind=Activity.Kind.CULTURE_FORUM,
        held_on=datetime.date(2025, 6, 1),
    )
    client = login("general")
    page = client.get("/activities/?kind=culture_forum").content.decode()
    assert "文化讲坛乙" in page and "科技论坛甲" not in page
    page = client.get("/activities/?year=2025").content.decode()
    assert "文化讲坛乙" in page and "科技论坛甲" not in page
    page = client.get(f"/activities/?organisation={world.other_branch.pk}").content.decode()
    assert "文化讲坛乙" not in page and "科技论坛甲" not in page


# --- Joint projects -----------------------------------------------------------------


@pytest.fixture
def project(world):
    partner = ExternalOrganisation.objects.create(name="电力公司物资部党支部")
    pairing = Partnership.objects.create(
        organisation=world.general,
        partner=partner,
        title="结对联创",
        started_on=datetime.date(2025, 1, 1),
    )
    return project_create(
        partnership=pairing,
        topic="标准化仓库建设",
        lead=world.member,
        members=[world.other_member],
        started_on=datetime.date(2025, 1, 1),
        due_on=datetime.date(2026, 12, 31),
        by=world.general_secretary.user,
    )


def test_progress_is_appended_and_the_project_shows_the_latest(world, project, login):
    progress_add(
        project=project,
        on=today() - datetime.timedelta(days=10),
        percent=30,
        text="完成调研",
        by=world.member.user,
    )
    member = login("other_member")
    response = member.post(
        f"/activities/projects/{project.pk}/progress/",
        {"on": today().isoformat(), "percent": 60, "text": "形成初稿"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.percent == 60 and project.progress.count() == 2
    page = login("general").get(f"/activities/projects/{project.pk}/").content.decode()
    assert "完成调研" in page and "形成初稿" in page


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_percent_is_0_to_100(world, project, percent):
    with pytest.raises(ValidationError) as error:
        progress_add(project=project, on=today(), percent=percent, text="x", by=world.member.user)
    assert "from 0 to 100" in str(error.value)
    assert ProjectProgress.objects.count() == 0


def test_progress_is_never_back_dated_or_edited(world, project, login):
    progress_add(project=project, on=today(), percent=40, text="中期", by=world.member.user)
    with pytest.raises(ValidationError) as error:
        progress_add(
            project=project,
            on=today() - datetime.timedelta(days=1),
            percent=50,
            text="补记",
            by=world.member.user,
        )
    assert "cannot come before it" in str(error.value)
    with pytest.raises(ValidationError) as error:
        progress_add(project=project, on=today(), percent=50, text="", by=world.secretary.user)
    assert "Say what was done" in str(error.value)
    assert ProjectProgress.objects.count() == 1
    # No page edits an entry: the only write is the append.
    assert (
        login("other_secretary")
        .post(
            f"/activities/projects/{project.pk}/progress/",
            {"on": today().isoformat(), "percent": 90, "text": "越权"},
        )
        .status_code
        == 404
    )
    assert ProjectProgress.objects.count() == 1


def test_a_finished_project_takes_no_more_progress(world, project):
    progress_add(project=project, on=today(), percent=100, text="结题", by=world.member.user)
    project.refresh_from_db()
    assert project.status == JointProject.Status.COMPLETED
    with pytest.raises(ValidationError) as error:
        progress_add(project=project, on=today(), percent=100, text="再记", by=world.member.user)
    assert "no more progress" in str(error.value)


def test_project_members_must_be_in_the_paired_organisation(world, project):
    with pytest.raises(ValidationError) as error:
        project_create(
            partnership=project.partnership,
            topic="新课题",
            lead=world.member,
            members=[world.committee_secretary],
            started_on=today(),
            due_on=today() - datetime.timedelta(days=1),
            by=world.general_secretary.user,
        )
    messages = " ".join(error.value.messages)
    assert "周党委 is not in 采购供应党总支" in messages and "due before it starts" in messages
    assert JointProject.objects.count() == 1


# --- Documents ----------------------------------------------------------------------


def publish(world, by=None, org=None, visibility=Document.Visibility.SUBTREE, **kwargs):
    return document_create(
        organisation=org or world.branch,
        title=kwargs.pop("title", "中层干部联系班组制度"),
        category=Document.Category.RULE,
        visibility=visibility,
        upload=kwargs.pop("upload", upload()),
        changes="首次发布",
        by=by or world.secretary.user,
    )


def test_versions_are_numbered_and_old_ones_kept(world, login):
    document = publish(world)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    version_add(
        document=document,
        upload=upload("制度v2.docx", docx_bytes(), docx),
        changes="修订第三条",
        by=world.secretary.user,
    )
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    document.refresh_from_db()
    assert document.current_number == 2
    client = login("member")
    first = client.get(f"/activities/documents/{document.pk}/v1/")
    assert first.status_code == 200 and b"".join(first.streaming_content) == PDF
    second = client.get(f"/activities/documents/{document.pk}/v2/")
    assert b"".join(second.streaming_content) == docx_bytes()


def test_upload_is_checked_by_content_not_name(world, login):
    for name, content in (
        ("病毒.pdf", EXE),
        ("假文档.docx", b"PK\x03\x04" + b"\x00" * 30),
        ("脚本.exe", EXE),
        ("空.pdf", b""),
    ):
        with pytest.raises(ValidationError) as error:
            publish(world, upload=upload(name, content), title=name)
        assert name in str(error.value)
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0
    response = login("secretary").post(
        "/activities/documents/new/",
        {
            "title": "制度",
            "category": "rule",
            "organisation": world.branch.pk,
            "visibility": "company",
            "file": upload("病毒.pdf", EXE),
        },
    )
    assert "does not contain what its name says" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_new_version_needs_a_leader_a_note_and_a_real_file(world, login):
    document = publish(world)
    with pytest.raises(ValidationError) as error:
        version_add(
            document=document,
            upload=upload("v2.pdf", EXE),
            changes="",
            by=world.other_secretary.user,
        )
    messages = " ".join(error.value.messages)
    assert "do not lead" in messages and "Say what changed" in messages
    assert "does not contain" in messages
    document.refresh_from_db()
    assert document.current_number == 1 and document.versions.count() == 1


def test_downloads_are_scoped(world, login):
    private = publish(world)
    public = publish(world, title="供应商接待日办法", visibility=Document.Visibility.COMPANY)
    for persona, status in (
        ("anonymous", 302),
        ("other_secretary", 404),
        ("other_member", 404),
        ("member", 200),
        ("secretary", 200),
        ("general", 200),
        ("committee", 200),
    ):
        response = login(persona).get(f"/activities/documents/{private.pk}/v1/")
        assert response.status_code == status, persona
    assert login("other_member").get(f"/activities/documents/{public.pk}/v1/").status_code == 200
    assert login("secretary").get(f"/activities/documents/{private.pk}/v9/").status_code == 404
    listing = login("other_secretary").get("/activities/documents/").content.decode()
    assert "供应商接待日办法" in listing and "中层干部联系班组制度" not in listing


# --- Query counts -------------------------------------------------------------------


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_keep_their_query_counts(world, login, project):
    """No query per activity (organiser, counts), per project (pairing, lead) or per
    document (owner)."""
    forum(world, attendees=[world.member])
    publish(world)
    progress_add(project=project, on=today(), percent=10, text="启动", by=world.member.user)
    urls = [
        "/activities/",
        "/activities/projects/",
        "/activities/documents/",
        f"/activities/panel/org/{world.general.pk}/",
    ]
    client = login("general")
    small = [_count(client, url) for url in urls]
    for n in range(10):
        person = make_member(world.branch)
        forum(world, title=f"论坛{n}", attendees=[person, world.member])
        publish(world, title=f"制度{n}", visibility=Document.Visibility.COMPANY)
        project_create(
            partnership=project.partnership,
            topic=f"课题{n}",
            lead=person,
            members=[world.member],
            started_on=datetime.date(2025, 1, 1),
            due_on=datetime.date(2026, 12, 31),
            by=world.general_secretary.user,
        )
    large = [_count(client, url) for url in urls]
    assert small == large == [10, 9, 9, 9]


def test_an_upload_over_the_size_limit_is_refused(world, settings):
    settings.ACTIVITIES_DOCUMENT_MAX_BYTES = 20
    with pytest.raises(ValidationError) as error:
        publish(world)
    assert "the largest accepted file is" in str(error.value)
    assert Document.objects.count() == 0


def test_the_person_and_overview_panels(world, login, project):
    activity = forum(world, attendees=[world.member])
    member = login("member")
    home = member.get("/").content.decode()
    assert f"/activities/panel/person/{world.member.pk}/" in home
    panel = member.get(f"/activities/panel/person/{world.member.pk}/").content.decode()
    assert activity.title in panel and "标准化仓库建设" in panel
    assert (
        login("other_secretary").get(f"/activities/panel/person/{world.member.pk}/").status_code
        == 404
    )
    overview = login("committee").get("/").content.decode()
    assert f"/activities/panel/org/{world.committee.pk}/" in overview
    assert f"/vanguard/panel/org/{world.committee.pk}/" in overview
    panel = login("general").get(f"/activities/panel/org/{world.general.pk}/").content.decode()
    assert activity.title in panel and "标准化仓库建设" in panel
