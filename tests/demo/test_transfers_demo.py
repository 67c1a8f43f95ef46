"""The transfers demo: a confirmed transfer within the tree in the past (the demo's
reruns pick the same people, see tests/test_demo.py), and one waiting
for 采购合同党支部 (zhongduan) to receive it; a second load creates nothing."""

from django.contrib.auth import get_user_model
from django.test import Client

from tests.demo_data import load_demo
from transfers.models import Transfer


def test_one_confirmed_and_one_waiting(loaded):
    confirmed = Transfer.objects.get(status=Transfer.Status.CONFIRMED)
    assert confirmed.person.branch == confirmed.to_branch
    assert confirmed.to_branch.name == "仓储配送党支部"
    waiting = Transfer.objects.get(status=Transfer.Status.ISSUED)
    assert waiting.to_branch.name == "采购合同党支部"
    assert waiting.person.branch == waiting.from_branch


def test_zhongduan_can_receive_the_waiting_letter(loaded):
    waiting = Transfer.objects.get(status=Transfer.Status.ISSUED)
    client = Client()
    client.force_login(get_user_model().objects.get(username="zhongduan"))
    page = client.get(f"/transfers/{waiting.pk}/").content.decode()
    assert f"/transfers/{waiting.pk}/receive/" in page
    client.post(f"/transfers/{waiting.pk}/receive/")
    waiting.refresh_from_db()
    assert waiting.status == Transfer.Status.RECEIVED


def test_a_second_load_creates_no_transfer(loaded):
    count = Transfer.objects.count()
    load_demo()
    assert Transfer.objects.count() == count == 2
