"""The transfers admin: the changelist and a transfer's page open, scoped to the user's
subtree, and read-only (transfers move memberships through the portal's services)."""

import datetime

import pytest

from tests.admin_helpers import make_staff
from tests.factories import UserFactory
from transfers.models import Transfer
from transfers.services import TransferData, transfer_issue

D = datetime.date


@pytest.fixture
def transfers(world):
    for org in (world.branch, world.other_branch, world.functional):
        org.refresh_from_db()
    inside = transfer_issue(
        data=TransferData(
            person=world.member,
            direction="within",
            letter_no="1",
            issued_on=D(2026, 3, 1),
            effective_on=D(2026, 3, 1),
            from_branch=world.branch,
            to_branch=world.other_branch,
        ),
        by=None,
    )
    from tests.factories import make_member

    outsider = make_member(world.functional)
    outside = transfer_issue(
        data=TransferData(
            person=outsider,
            direction="out",
            letter_no="2",
            issued_on=D(2026, 3, 1),
            effective_on=D(2026, 3, 1),
            from_branch=world.functional,
            outside_organisation="外单位",
        ),
        by=None,
    )
    return inside, outside


def test_it_opens_read_only_for_the_committee(db, client, transfers):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    inside, _outside = transfers
    assert client.get("/admin/transfers/transfer/").status_code == 200
    assert client.get(f"/admin/transfers/transfer/{inside.pk}/change/").status_code == 200
    assert (
        client.post(
            f"/admin/transfers/transfer/{inside.pk}/change/", {"letter_no": "x"}
        ).status_code
        == 403
    )
    assert client.get("/admin/transfers/transfer/add/").status_code == 403
    assert Transfer.objects.get(pk=inside.pk).letter_no == "1"


@pytest.mark.parametrize("staff", ["general"])
def test_a_general_branch_sees_only_its_subtree(world, client, transfers, staff):
    inside, outside = transfers
    make_staff("general")
    client.force_login(world.general_secretary.user)
    html = client.get("/admin/transfers/transfer/").content.decode()
    assert f"/admin/transfers/transfer/{inside.pk}/change/" in html
    assert f"/admin/transfers/transfer/{outside.pk}/change/" not in html
