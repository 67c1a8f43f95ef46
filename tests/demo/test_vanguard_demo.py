"""The demo of both apps of this feature (pledges and model posts; activities and
pairing): the rows a visitor expects, what the demo logins see, and a rerun that adds
nothing."""

from django.test import Client
from django.utils import timezone

from activities.models import Activity, Document, DocumentVersion, JointProject, ProjectProgress
from branches.models import Organisation
from members.models import Person
from tests.demo_data import load_demo
from vanguard.models import Designation, Pledge

MODELS = (Pledge, Designation, Activity, JointProject, ProjectProgress, Document, DocumentVersion)


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="Dangjian@2026")
    return client


def test_pledges_some_pending_for_qianduan_and_a_rerun_adds_nothing(loaded):
    year = timezone.localdate().year
    front = Organisation.objects.get(name="计划招标党支部")
    pending = Pledge.objects.filter(branch=front, year=year, status=Pledge.Status.SUBMITTED)
    assert pending.count() == 3
    assert pending.filter(person__user__username="dangyuan").exists()
    assert Pledge.objects.filter(branch=front, status=Pledge.Status.DRAFT).count() == 1
    members = Person.objects.party_members().filter(branch__kind="branch").count()
    assert Pledge.objects.filter(year=year).count() == members
    counts = [m.objects.count() for m in MODELS]
    report = load_demo()  # other apps' rows are theirs to check; ours must not move
    created = dict(
        item.rsplit(": ", 1)
        for item in report.splitlines()[0].removeprefix("Created: ").rstrip(".").split(", ")
        if ": " in item
    )
    ours = (
        "pledges",
        "model posts and safety zones",
        "activities",
        "joint projects",
        "progress entries",
        "documents",
        "document versions",
    )
    assert all(created.get(what, "0") == "0" for what in ours), created
    assert [m.objects.count() for m in MODELS] == counts


def test_qianduan_approves_a_pending_pledge(loaded):
    client = client_for("qianduan")
    front = Organisation.objects.get(name="计划招标党支部")
    page = client.get(f"/vanguard/org/{front.pk}/pledges/?status=submitted").content.decode()
    pledge = Pledge.objects.get(person__user__username="dangyuan")
    assert pledge.person.name in page
    client.post(f"/vanguard/pledges/{pledge.pk}/approve/")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPROVED


def test_model_posts_and_warehouse_safety_zones(loaded):
    back = Organisation.objects.get(name="仓储配送党支部")
    zones = Designation.objects.filter(kind=Designation.Kind.SAFETY_ZONE)
    assert zones.count() == 2 and set(zones.values_list("organisation", flat=True)) == {back.pk}
    assert Designation.objects.filter(kind=Designation.Kind.MODEL_POST).count() == 5
    for designation in Designation.objects.all():
        for person in designation.responsible.all():
            assert person.branch_id == designation.organisation_id and person.is_party_member
    supply = Organisation.objects.get(name="采购供应党总支")
    page = client_for("zongzhi").get(f"/vanguard/org/{supply.pk}/designations/?kind=safety_zone")
    assert "一号仓库党员安全责任区" in page.content.decode()


def test_activities_projects_and_documents(loaded):
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert all(
        a.attendances.exists() for a in Activity.objects.exclude(kind=Activity.Kind.TEAM_ACTIVITY)
    )
    assert JointProject.objects.count() == 3 and ProjectProgress.objects.count() == 6
    assert Document.objects.count() == 4
    assert all(d.versions.count() == 2 for d in Document.objects.all())
    member = client_for("dangyuan")
    listing = member.get("/activities/documents/").content.decode()
    assert "供应商接待日制度" in listing and "党员与员工结对帮带方案" not in listing
    document = Document.objects.get(title="供应商接待日制度")
    response = member.get(f"/activities/documents/{document.pk}/v1/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "物资文化讲坛" in member.get("/activities/").content.decode()
    projects = client_for("zongzhi").get("/activities/projects/").content.decode()
    assert "标准化仓库建设" in projects
