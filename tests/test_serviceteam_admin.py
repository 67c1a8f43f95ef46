"""The service team admin: every changelist, add, change and history page opens for the
committee; a general branch's staff sees only the teams of its subtree; the roster's
rule holds in the admin too; the changelists keep their query counts."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serviceteam.models import ImportBatch, ServiceRecord, ServiceTeam, TeamMember, WeeklyStatus
from serviceteam.services import (
    RecordData,
    service_record_create,
    service_team_create,
    weekly_status_record,
)
from tests.admin_helpers import make_staff, url
from tests.test_serviceteam_import import english, projects, team, this_week, values

__all__ = ["english", "projects", "team"]

MODELS = [model for model in admin.site._registry if model._meta.app_label == "serviceteam"]


@pytest.fixture
def rows(team, projects, world):
    service_record_create(
        team=team,
        members=[world.member],
        by=world.member,
        data=RecordData(
            served_on=datetime.date(2026, 1, 5),
            kind="on_site",
            unit_kind="project_unit",
            unit_name="某项目部",
            work_done="协调",
        ),
    )
    weekly_status_record(project=projects[0], week=this_week(), values=values(), by=None)
    committee_team = service_team_create(name="党委服务队", organisation=world.committee)
    return {
        ServiceTeam: team,
        TeamMember: team.members.get(),
        ServiceRecord: ServiceRecord.objects.get(),
        WeeklyStatus: WeeklyStatus.objects.get(),
        "committee_team": committee_team,
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_it_opens_every_page(superuser, rows, projects, model):
    assert superuser.get(url(model, "changelist")).status_code == 200
    if model is not ImportBatch:
        assert superuser.get(url(model, "add")).status_code == 200
        obj = rows.get(model) or projects[0]
        assert superuser.get(url(model, "change", obj.pk)).status_code == 200
        assert superuser.get(url(model, "history", obj.pk)).status_code == 200


def test_a_general_branch_sees_only_its_teams(login, rows, world):
    make_staff("general")
    client = login("general")
    page = client.get(url(ServiceTeam, "changelist")).content.decode()
    assert rows[ServiceTeam].name in page and "党委服务队" not in page
    assert client.get(url(ServiceTeam, "change", rows["committee_team"].pk)).status_code in (
        302,
        403,
        404,
    )
    assert "某项目部" in client.get(url(ServiceRecord, "changelist")).content.decode()


def test_the_admin_refuses_a_non_member_on_the_roster(superuser, rows, world):
    response = superuser.post(
        url(TeamMember, "add"),
        {
            "team": rows[ServiceTeam].pk,
            "person": world.masses.pk,
            "role": "member",
            "joined_on": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert "Only party members and activists" in response.content.decode()
    assert not TeamMember.objects.filter(person=world.masses).exists()


@pytest.mark.parametrize(
    "model", [ServiceRecord, WeeklyStatus, TeamMember], ids=lambda m: m._meta.model_name
)
def test_the_changelists_keep_their_query_counts(superuser, rows, projects, world, model):
    """Prevents a query per row for the team, the project or the person."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert superuser.get(url(model, "changelist")).status_code == 200
        return len(queries)

    first = count()
    for i in range(10):
        service_record_create(
            team=rows[ServiceTeam],
            members=[world.member],
            by=world.member,
            data=RecordData(
                served_on=datetime.date(2026, 2, i + 1),
                kind="other",
                unit_kind="supplier",
                unit_name=f"供应商{i}",
                work_done="对账",
            ),
        )
        weekly_status_record(
            project=projects[1 + i % 2],
            week=this_week() - datetime.timedelta(weeks=i + 1),
            values=values(),
            by=None,
        )
    assert count() == first
