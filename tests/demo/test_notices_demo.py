"""The notices demo: six notices in every state, an important one with names on the
"who has not read" list, one unread for dangyuan, and a rerun that adds nothing."""

from notices.models import Notice, NoticeReceipt
from notifications.models import Notification
from tests.demo_data import load_demo


def test_the_demo_has_notices_in_every_state(loaded):
    assert Notice.objects.count() == 6
    assert set(Notice.objects.values_list("status", flat=True)) == set(Notice.Status.values)
    assert set(Notice.objects.values_list("organisation__name", flat=True)) == {
        "物资公司党委",
        "采购供应党总支",
        "计划招标党支部",
    }
    assert "notices: 6" in loaded


def test_the_important_notice_has_readers_and_non_readers(loaded, client):
    notice = Notice.objects.important().get()
    read = notice.receipts.filter(read_at__isnull=False).count()
    assert 0 < read < notice.receipts.count()
    client.login(username="dangwei", password="Dangjian@2026")
    page = client.get(f"/notices/{notice.pk}/receipts/")
    assert page.status_code == 200 and page.context["page"].object_list


def test_dangyuan_has_one_unread_notice_in_the_bell(loaded, client):
    unread = Notification.objects.filter(
        recipient__username="dangyuan", reason="notice", read_at__isnull=True
    )
    assert unread.count() == 1
    client.login(username="dangyuan", password="Dangjian@2026")
    page = client.get("/notices/")
    assert [n.is_read for n in page.context["page"].object_list][:2] == [False, True]
    client.get(unread.get().url)
    assert not unread.exists()


def test_a_second_load_creates_nothing(loaded):
    counts = (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        NoticeReceipt.objects.filter(read_at__isnull=False).count(),
        Notification.objects.filter(reason="notice").count(),
    )
    load_demo()
    assert (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        NoticeReceipt.objects.filter(read_at__isnull=False).count(),
        Notification.objects.filter(reason="notice").count(),
    ) == counts


def test_every_demo_login_opens_the_notices_page(loaded, client):
    for username in ("dangwei", "zongzhi", "qianduan", "zhongduan", "dangyuan"):
        client.login(username=username, password="Dangjian@2026")
        assert client.get("/notices/").status_code == 200
