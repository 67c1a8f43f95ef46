"""The development demo: 11 members developed in four years, a live pipeline in
计划招标党支部 with one activist ready to be walked to probationary member by the
demo secretary, 12 mentor pairs, and a rerun that adds nothing."""

import datetime
import re
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from branches.models import Organisation
from development.models import Candidacy, MentorPair, Stage
from development.rules import Rules
from development.selectors import Step, developed_per_year, next_step
from members.models import Person
from notifications.models import Notification

PASSWORD = "Dangjian@2026"


def test_eleven_members_developed_in_four_years(loaded):
    root = Organisation.objects.get_root_nodes().get()
    per_year = dict(developed_per_year(root))
    assert sum(per_year.values()) == 11
    assert set(per_year) == {2023, 2024, 2025, 2026}
    # The register agrees with the records: each developed person's dates and status.
    for c in Candidacy.objects.filter(admitted_on__isnull=False).select_related("person"):
        assert c.person.joined_party_on == c.admitted_on
        assert c.person.status == (
            Person.Status.FULL if c.stage == Stage.FULL else Person.Status.PROBATIONARY
        )
    assert not Person.objects.filter(
        status=Person.Status.PROBATIONARY, candidacies__isnull=True
    ).exists()


def test_the_front_branch_has_a_live_pipeline_and_twelve_mentor_pairs(loaded):
    front = Organisation.objects.get(name="计划招标党支部")
    stages = list(Candidacy.objects.open().filter(branch=front).values_list("stage", flat=True))
    assert sorted(stages) == sorted(
        ["applicant", "activist", "activist", "candidate", "probationary", "probationary"]
    )
    assert MentorPair.objects.count() == 12
    assert MentorPair.objects.filter(ended_on__isnull=False).exclude(outcome="").count() == 3
    assert set(MentorPair.objects.values_list("kind", flat=True)) == set(MentorPair.Kind.values)


def test_a_rerun_adds_nothing(loaded):
    counts = (Candidacy.objects.count(), MentorPair.objects.count())
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    assert (Candidacy.objects.count(), MentorPair.objects.count()) == counts
    assert "development records: 0" not in out.getvalue() or "Nothing new" in out.getvalue()


def test_qianduan_walks_the_ready_activist_to_probationary_member(loaded, client, settings):
    """The demo's walk through: every step through the pages, with the rules enforced
    on the way, ending with the reminder of the next step."""
    settings.LANGUAGE_CODE = "en"
    assert client.login(username="qianduan", password=PASSWORD)
    front = Organisation.objects.get(name="计划招标党支部")
    activist = (
        Candidacy.objects.open()
        .filter(branch=front, stage=Stage.ACTIVIST)
        .select_related("person")
        .order_by("activist_on")
        .first()
    )
    step = next_step(activist, Rules.load(), timezone.localdate())
    assert step.step == Step.CANDIDATE and not step.waiting
    page = client.get(f"/development/org/{front.pk}/").content.decode()
    assert activist.person.name in page
    today = timezone.localdate().isoformat()
    url = f"/development/records/{activist.pk}/"

    def post(step, **data):
        return client.post(url + f"{step}/", {f"{step}-{k}": v for k, v in data.items()})

    # Admission before the steps that lead to it is refused with a clear message.
    refused = post("admit", on=today)
    assert refused.status_code == 200
    assert "only an activist is named" not in refused.content.decode()
    assert "admits a development candidate" in refused.content.decode()
    assert post("candidate", on=today).status_code == 302
    assert post("review", on=today, conclusion="政治审查合格").status_code == 302
    assert post("train", start=today, end=today, days=1, hours=24).status_code == 302
    helpers = list(
        Person.objects.filter(name__in=["徐志明", "黄佳怡"]).values_list("pk", flat=True)
    )
    response = client.post(
        url + "introducers/", {"introducers-people": helpers, "introducers-on": today}
    )
    assert response.status_code == 302
    third = Person.objects.get(name="吴晓峰").pk
    response = client.post(
        url + "introducers/", {"introducers-people": [third], "introducers-on": today}
    )
    assert response.status_code == 200 and activist.introducers.count() == 2
    assert "A further introducer is refused" in response.content.decode()
    assert post("admit", on=today).status_code == 302
    activist.refresh_from_db()
    person = activist.person
    person.refresh_from_db()
    assert (activist.stage, person.status) == (Stage.PROBATIONARY, Person.Status.PROBATIONARY)
    detail = client.get(url).content.decode()
    assert 'id="next-step"' in detail
    reminder = Notification.objects.get(
        recipient__username="qianduan", period_key__startswith=f"{activist.pk}:approve:"
    )
    assert person.name in reminder.title
    due = datetime.date.fromisoformat(reminder.period_key.split(":")[2])
    assert re.search(due.strftime("%Y"), detail)
