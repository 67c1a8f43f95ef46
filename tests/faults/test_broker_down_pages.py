"""Redis down, page-wide: every page opens, the main writes work, and what they leave to
the background goes out exactly once when the broker is back.

Celery's producer points at a closed port (the `broker_down` fixture), so anything that
queues a task meets a refused connection. The demo is committed (`transaction=True`), so
each request commits for real and runs its on-commit hooks (where the portal queues
tasks) inside the request, as in production.

1. Each demo login walks every page it reaches from the home page (tests/demo/
   test_links.py's walk): no page answers 500.
2. The main writes through their forms: a secretary logs a meeting and registers a
   problem from a member's visit, the member files that visit, the secretary publishes
   an important notice (its fan-out cannot be queued). None answers 500.
3. The broker comes back; a real worker runs every beat job through Redis, twice. The
   first run writes exactly what one clean run gives (the notice's bell notifications
   included) and e-mails each once; the second writes and sends nothing.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from liaison.models import Opinion, Problem, Visit
from meetings.models import Meeting
from members.access import scope_for
from members.demo import DEMO_PASSWORD
from notices.models import Notice
from notifications.models import Notification
from supplychain_party.celery import app
from tests.demo.test_links import walk
from tests.faults.conftest import report
from tests.faults.reminders import beat_tasks, expected_after_one_run, kwargs_of, outcome
from tests.faults.web import post_form

pytestmark = pytest.mark.faults

# A member, a secretary, the general branch and the committee: every kind of home page.
# (tests/demo/test_links.py walks all six demo logins with Redis up.)
USERS = ["dangyuan", "qianduan", "zongzhi", "dangwei"]


def client_for(username: str) -> Client:
    """Logged in through the login form, as the demo's users do."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"login as {username}: HTTP {response.status_code}"
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_a_demo_user_reaches_opens_with_redis_down(committed_demo, broker_down):
    opened_by = {}
    failures = []
    started = time.monotonic()
    for username in USERS:
        opened, broken = walk(client_for(username))
        opened_by[username] = opened
        failures += [(username, url, came, code) for url, came, code in broken if code >= 500]
    assert min(opened_by.values()) > 20
    assert failures == [], "\n".join(
        f"{code} {url} as {user} (from {came})" for user, url, came, code in failures
    )
    report(
        "broker_down_pages",
        pages_opened=opened_by,
        errors_5xx=len(failures),
        seconds=round(time.monotonic() - started, 1),
    )


def form_of(client: Client, path: str):
    page = client.get(path)
    assert page.status_code == 200, path
    form = post_form(page.content.decode())
    form.action = form.action or path
    return form


def submit(client: Client, form, timings: dict, what: str):
    started = time.monotonic()
    response = client.post(form.action, form.data())
    timings[what] = round(time.monotonic() - started, 2)
    assert response.status_code == 302, (what, response.status_code)
    return response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_down_the_writes_work_and_what_waits_goes_out_once_it_is_back(
    committed_demo, with_emails, broker_down, mailoutbox, request
):
    secretary, member = client_for("qianduan"), client_for("dangyuan")
    branch = scope_for(get_user_model().objects.get(username="qianduan")).home_organisation
    counts = {m: m.objects.count() for m in (Meeting, Visit, Opinion, Problem, Notice)}
    before = outcome()
    timings: dict[str, float] = {}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    meeting = form_of(secretary, f"/meetings/org/{branch.pk}/new/?kind=theme_day")
    meeting["held_at"] = f"{yesterday:%Y-%m-%d}T09:00"
    meeting["topic"] = "Redis 停机时的主题党日"
    meeting["place"] = "三楼会议室"
    submit(secretary, meeting, timings, "log a meeting")

    visit = form_of(member, "/liaison/visits/new/")
    visit.choose("visited")
    visit["visited_on"] = f"{yesterday:%Y-%m-%d}"
    visit["discussion"] = "谈仓库收货"
    visit["opinions"] = "Redis 停机时提出的意见"
    submit(member, visit, timings, "file a visit")

    opinion = Opinion.objects.get(text="Redis 停机时提出的意见")
    problem = form_of(secretary, f"/liaison/opinions/{opinion.pk}/register/")
    problem.choose("category")
    problem.choose("owner")
    submit(secretary, problem, timings, "register a problem")

    notice = form_of(secretary, f"/notices/org/{branch.pk}/new/")
    notice["title"] = "Redis 停机时发布的通知"
    notice["body"] = "请按时参加主题党日。"
    notice["importance"] = Notice.Importance.IMPORTANT
    notice["publish"] = ""
    submit(secretary, notice, timings, "publish a notice")

    published = Notice.objects.get(title="Redis 停机时发布的通知")
    assert published.status == Notice.Status.PUBLISHED and published.delivered_at is None
    assert {m: m.objects.count() - n for m, n in counts.items()} == {
        Meeting: 1,
        Visit: 1,
        Opinion: 1,
        Problem: 1,
        Notice: 1,
    }
    assert outcome() == before  # nothing of the background work has happened yet

    # The broker is back: a real worker runs every beat job through Redis.
    back = broker_down
    back()
    request.getfixturevalue("celery_worker_thread")
    expected = expected_after_one_run()
    assert any(reason == "notice" for _user, reason, _key in expected.notifications)

    def beat_once() -> None:
        for task in beat_tasks():
            app.send_task(task.task, kwargs=kwargs_of(task)).get(timeout=120)

    beat_once()
    added = outcome() - before
    assert added == expected
    wanted = Notification.objects.filter(send_email=True).exclude(recipient__email="")
    assert Notification.objects.email_pending().count() == 0
    assert len(mailoutbox) == wanted.count()
    copies = Counter((tuple(m.to), m.subject, m.body) for m in mailoutbox)
    assert max(copies.values()) == 1
    published.refresh_from_db()
    assert published.delivered_at is not None

    sent = len(mailoutbox)
    beat_once()
    assert outcome() - before == expected and len(mailoutbox) == sent

    report(
        "broker_down_writes",
        request_seconds=timings,
        notifications_after_broker_back=len(added.notifications),
        notice_notifications=sum(1 for _u, r, _k in added.notifications if r == "notice"),
        escalations=len(added.escalations),
        e_mails=sent,
        second_run_new=0,
    )
