"""The admin of both apps of this feature: every page opens, rows stay in the staff
user's scope, designations are saved through the services (their checks hold here),
versions download through the scoped view."""

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.demo import tiny_pdf
from activities.models import Activity, Document, DocumentVersion, JointProject, ProjectProgress
from activities.services import (
    ActivityData,
    activity_create,
    document_create,
    progress_add,
    project_create,
)
from branches.models import ExternalOrganisation, Partnership
from tests.admin_helpers import form_data, make_staff, url
from tests.factories import make_member
from vanguard.models import Designation, Pledge
from vanguard.services import DesignationData, designation_create, pledge_save

REGISTERED = sorted(
    (m for m in admin.site._registry if m._meta.app_label in ("vanguard", "activities")),
    key=lambda m: m._meta.label,
)


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


def objects(world, org=None, secretary=None, member=None) -> dict:
    org = org or world.branch
    secretary = secretary or world.secretary
    member = member or world.member
    today = timezone.localdate()
    partner, _ = ExternalOrganisation.objects.get_or_create(name=f"物资部党支部{member.pk}")
    pairing = Partnership.objects.create(
        organisation=org, partner=partner, title="结对", started_on=datetime.date(2025, 1, 1)
    )
    project = project_create(
        partnership=pairing,
        topic=f"课题{org.pk}",
        lead=member,
        members=[],
        started_on=datetime.date(2025, 1, 1),
        due_on=datetime.date(2026, 12, 31),
        by=None,
    )
    document = document_create(
        organisation=org,
        title=f"制度{member.pk}",
        category="rule",
        visibility="subtree",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf("x"), "application/pdf"),
        by=None,
    )
    return {
        Pledge: pledge_save(person=member, year=today.year, text="承诺", submit=True, by=None),
        Designation: designation_create(
            organisation=org,
            responsible=[member],
            by=None,
            data=DesignationData(
                kind="model_post", name=f"示范岗{member.pk}", starts_on=datetime.date(2026, 1, 1)
            ),
        ),
        Activity: activity_create(
            organisation=org,
            by=None,
            speakers=[],
            attendees=[member],
            data=ActivityData(kind="tech_forum", title=f"论坛{member.pk}", held_on=today),
        ),
        JointProject: project,
        ProjectProgress: progress_add(project=project, on=today, percent=10, text="启动", by=None),
        Document: document,
        DocumentVersion: document.versions.get(),
    }


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_it_opens_every_changelist_add_and_change_page(superuser, world, model):
    obj = objects(world)[model]
    assert superuser.get(url(model, "changelist")).status_code == 200
    add = superuser.get(url(model, "add")).status_code
    assert add in (200, 403)  # pledges and documents are added in the portal
    assert superuser.get(url(model, "change", obj.pk)).status_code == 200
    assert superuser.get(url(model, "history", obj.pk)).status_code == 200


def test_rows_stay_in_the_staff_users_scope(world, login):
    mine = objects(world)
    theirs = objects(
        world, org=world.other_branch, secretary=world.other_secretary, member=world.other_member
    )
    make_staff("secretary")
    client = login("secretary")
    for model in REGISTERED:
        page = client.get(url(model, "changelist"))
        assert page.status_code == 200, model
        assert client.get(url(model, "change", theirs[model].pk)).status_code in (302, 404)
        assert client.get(url(model, "change", mine[model].pk)).status_code == 200


def test_a_designation_saved_in_the_admin_goes_through_the_checks(world, superuser):
    response = superuser.get(url(Designation, "add"))
    data = form_data(response)
    data.update(
        {
            "kind": "model_post",
            "name": "后台示范岗",
            "organisation": world.branch.pk,
            "responsible": [world.masses.pk],
            "starts_on": "2026-01-01",
        }
    )
    response = superuser.post(url(Designation, "add"), data, follow=True)
    assert "王群众 is not a party member" in response.content.decode()
    assert not Designation.objects.filter(name="后台示范岗").exists()
    data["responsible"] = [world.member.pk]
    superuser.post(url(Designation, "add"), data)
    designation = Designation.objects.get(name="后台示范岗")
    assert list(designation.responsible.all()) == [world.member]


def test_the_changelists_do_not_grow_queries_with_rows(world, superuser):
    """No query per row for the organisation, person, pairing or lead."""
    objects(world)
    counts = {}
    for model in REGISTERED:
        superuser.get(url(model, "changelist"))
        with CaptureQueriesContext(connection) as queries:
            superuser.get(url(model, "changelist"))
        counts[model] = len(queries)
    for _ in range(5):
        member = make_member(world.branch)
        objects(world, member=member)
    for model in REGISTERED:
        with CaptureQueriesContext(connection) as queries:
            superuser.get(url(model, "changelist"))
        assert len(queries) == counts[model], model


def test_a_joint_project_added_in_the_admin_goes_through_the_checks(world, superuser):
    partner = ExternalOrganisation.objects.create(name="电力公司物资部党支部")
    pairing = Partnership.objects.create(
        organisation=world.branch,
        partner=partner,
        title="结对",
        started_on=datetime.date(2025, 1, 1),
    )
    data = form_data(superuser.get(url(JointProject, "add")))
    data.update(
        {
            "partnership": pairing.pk,
            "topic": "现场收货服务",
            "lead": world.other_member.pk,
            "started_on": "2026-01-01",
            "due_on": "2026-12-31",
        }
    )
    response = superuser.post(url(JointProject, "add"), data, follow=True)
    assert "李党员 is not in 采购合同党支部" in response.content.decode()
    assert not JointProject.objects.exists()
    data["lead"] = world.member.pk
    superuser.post(url(JointProject, "add"), data)
    assert JointProject.objects.get().lead == world.member
