"""Transfer pages: who sees what (out of scope is 404), issuing with bad input refused
in the user's language and nothing saved, receiving and confirming by the receiving
branch, the Excel ledger, the person panel, and pinned query counts."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from members.models import Membership
from tests.factories import make_member, make_org
from transfers.models import Transfer
from transfers.services import TransferData, transfer_issue

D = datetime.date


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def transfer(world):
    for org in (world.branch, world.other_branch, world.general, world.committee):
        org.refresh_from_db()
    return transfer_issue(
        data=TransferData(
            person=world.member,
            direction="within",
            letter_no="001",
            issued_on=D(2026, 3, 1),
            effective_on=D(2026, 3, 15),
            from_branch=world.branch,
            to_branch=world.other_branch,
        ),
        by=None,
    )


@pytest.mark.parametrize(
    ("persona", "ledger", "detail"),
    [
        ("anonymous", 302, 302),
        ("unlinked", 404, 404),
        ("member", 404, 200),
        ("group_leader", 404, 404),
        ("other_secretary", 404, 200),
        ("secretary", 200, 200),
        ("general", 200, 200),
        ("committee", 200, 200),
    ],
)
def test_role_matrix(world, transfer, login, persona, ledger, detail):
    """The member sees their own letter; the other branch sees it because it is the
    destination; the other branch's ledger is not the secretary's."""
    client = login(persona)
    assert client.get(f"/transfers/org/{world.branch.pk}/").status_code == ledger
    assert client.get(f"/transfers/{transfer.pk}/").status_code == detail


def test_a_stranger_to_the_transfer_sees_nothing(world, login):
    world.functional.refresh_from_db()
    other = make_member(world.functional, name="外人")
    t = transfer_issue(
        data=TransferData(
            person=other,
            direction="out",
            letter_no="X1",
            issued_on=D(2026, 3, 1),
            effective_on=D(2026, 3, 1),
            from_branch=world.functional,
            outside_organisation="外单位",
        ),
        by=None,
    )
    for persona in ("secretary", "other_secretary", "member", "general"):
        assert login(persona).get(f"/transfers/{t.pk}/").status_code == 404
    assert login("committee").get(f"/transfers/{t.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["unlinked", "member", "secretary", "committee"])
def test_the_landing_page_never_fails(world, login, persona):
    assert login(persona).get("/transfers/", follow=True).status_code == 200


def _form(world, person, **changes):
    data = {
        "direction": "within",
        "person": person.pk,
        "from_branch": world.branch.pk,
        "to_branch": world.other_branch.pk,
        "outside_organisation": "",
        "letter_no": "2026-7",
        "issued_on": "2026-03-01",
        "effective_on": "2026-03-10",
        "reason": "",
    }
    data.update(changes)
    return data


def test_issuing_for_someone_not_in_the_branch_is_refused_with_a_message(world, login):
    client = login("general")
    response = client.post(
        f"/transfers/org/{world.general.pk}/new/", _form(world, world.other_member)
    )
    assert response.status_code == 200
    assert "李党员 is not a member of 采购合同党支部" in response.content.decode()
    assert not Transfer.objects.exists()


def test_a_double_submit_issues_one_letter(world, login):
    client = login("secretary")
    first = client.post(f"/transfers/org/{world.branch.pk}/new/", _form(world, world.member))
    assert first.status_code == 302
    again = client.post(f"/transfers/org/{world.branch.pk}/new/", _form(world, world.member))
    assert "already has a transfer under way" in again.content.decode()
    assert Transfer.objects.count() == 1


def test_the_receiving_branch_receives_and_confirms(world, transfer, login):
    # The issuing secretary cannot receive for the other branch.
    assert login("secretary").post(f"/transfers/{transfer.pk}/receive/").status_code == 404
    client = login("other_secretary")
    client.post(f"/transfers/{transfer.pk}/receive/")
    client.post(f"/transfers/{transfer.pk}/confirm/")
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CONFIRMED
    world.member.refresh_from_db()
    assert world.member.branch_id == world.other_branch.pk
    assert Membership.objects.filter(person=world.member).count() == 2
    html = client.get(f"/transfers/person/{world.member.pk}/panel/").content.decode()
    assert "2026-001" in html and "Confirmed" in html


def test_the_issuing_branch_cancels(world, transfer, login):
    assert login("other_secretary").post(f"/transfers/{transfer.pk}/cancel/").status_code == 404
    login("secretary").post(f"/transfers/{transfer.pk}/cancel/")
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED


def test_the_ledger_filters_and_exports(world, transfer, login):
    client = login("general")
    assert (
        "张党员"
        in client.get(f"/transfers/org/{world.branch.pk}/?direction=outgoing").content.decode()
    )
    assert (
        "张党员"
        not in client.get(f"/transfers/org/{world.branch.pk}/?direction=incoming").content.decode()
    )
    assert (
        "张党员"
        in client.get(
            f"/transfers/org/{world.other_branch.pk}/?direction=incoming&q=001"
        ).content.decode()
    )
    response = client.get(f"/transfers/org/{world.general.pk}/export/?status=issued")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "2026-001" and rows[0][2] == "张党员"
    empty = client.get(f"/transfers/org/{world.general.pk}/export/?status=confirmed")
    assert list(load_workbook(BytesIO(empty.content)).active.iter_rows(min_row=3)) == []


def test_the_person_page_loads_the_panel_by_htmx(world, transfer, login):
    html = login("secretary").get(f"/people/{world.member.pk}/").content.decode()
    assert f'hx-get="/transfers/person/{world.member.pk}/panel/"' in html


def grow_tenfold(world):
    for n in range(10):
        branch = make_org(f"新支部{n}", "branch", world.general)
        person = make_member(branch)
        transfer_issue(
            data=TransferData(
                person=person,
                direction="within",
                letter_no=f"G{n}",
                issued_on=D(2026, 3, 1),
                effective_on=D(2026, 3, 2),
                from_branch=branch,
                to_branch=world.branch,
            ),
            by=None,
        )


def test_the_ledger_query_count_does_not_grow(world, transfer, login, django_assert_num_queries):
    """The ledger joins the person and both branches: no query per row."""
    client = login("committee")
    with django_assert_num_queries(10):
        assert client.get(f"/transfers/org/{world.committee.pk}/").status_code == 200
    grow_tenfold(world)
    with django_assert_num_queries(10):
        assert client.get(f"/transfers/org/{world.committee.pk}/").status_code == 200
