"""The liaison demo: problems in every state, an escalation the general branch sees,
and a rerun that adds nothing."""

from liaison.models import Campaign, ContactPoint, Escalation, Pairing, Problem, Visit
from tests.demo_data import load_demo


def test_the_demo_has_the_whole_ledger_and_reruns_add_nothing(loaded, client):
    assert set(Problem.objects.values_list("state", flat=True)) == set(Problem.State.values)
    assert Escalation.objects.get().organisation.name == "采购供应党总支"
    assert ContactPoint.objects.count() == 6 and Pairing.objects.count() == 2
    assert Visit.objects.count() == 2 and Campaign.objects.get().opinions.count() == 6
    counts = [m.objects.count() for m in (Problem, Escalation, Visit, ContactPoint)]
    load_demo()
    assert [m.objects.count() for m in (Problem, Escalation, Visit, ContactPoint)] == counts
    client.login(username="zongzhi", password="Dangjian@2026")
    escalated = Escalation.objects.get()
    page = client.get(f"/liaison/panel/org/{escalated.organisation_id}/")
    assert escalated.problem.title in page.content.decode()
