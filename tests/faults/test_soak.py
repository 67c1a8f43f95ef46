"""The soak: a production-like server under a steady mix of reads and writes, with no
error and nothing lost.

gunicorn (production settings, two sync workers, persistent connections) serves the
test database on loopback. Five logged-in sessions work at once for SOAK_SECONDS (30 by
default; `make soak` runs longer):

- a member files visit records, each with one opinion, through the visit form;
- a secretary registers those opinions as problems through the register form;
- the same secretary, in another session, logs theme party days with attendance;
- the general branch and the committee read the pages they reach from their home page.

Every write goes through the real form: the page is fetched, its CSRF token and hidden
fields (the meeting's form token, the attendance rows) posted back. No request may fail:
no 5xx, no refused or dropped connection, no write answered with the form again. At the
end the database holds exactly what was sent: one visit, opinion, problem, meeting and
attendance row per successful write.
"""

from __future__ import annotations

import datetime
import os
import re
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from liaison.models import Opinion, Problem, Visit
from meetings.models import Attendance, Meeting
from scale.bench.run import Server
from tests.faults.conftest import (
    PASSWORD,
    database_url,
    production_env,
    production_passwords,
    report,
)
from tests.faults.web import Browser

pytestmark = pytest.mark.faults

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "30"))
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
REGISTER = re.compile(r'href="(/liaison/opinions/\d+/register/)"')
SKIP = ("/logout/", "/i18n/", "/static/", "/admin/", "/media/")


@dataclass
class Tally:
    """What the sessions did, shared by the threads (under `lock`)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    writes: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    slowest: float = 0.0

    def hit(self, seconds: float) -> None:
        with self.lock:
            self.requests += 1
            self.slowest = max(self.slowest, seconds)

    def wrote(self, **rows: int) -> None:
        with self.lock:
            self.writes.update(rows)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Session:
    """One logged-in user; every request counted, every failure recorded."""

    def __init__(self, port: int, username: str, tally: Tally) -> None:
        self.browser = Browser(port, timeout=60)
        self.browser.login(username, PASSWORD)
        self.username = username
        self.tally = tally

    def get(self, path: str, expect: tuple[int, ...] = (200,)):
        response = self.browser.get(path)
        self.tally.hit(response.seconds)
        if response.status not in expect:
            raise AssertionError(f"GET {path} as {self.username}: HTTP {response.status}")
        return response

    def form(self, path: str):
        form = self.browser.form(path)
        self.tally.hit(0)
        return form

    def submit(self, form, what: str):
        response = self.browser.submit(form)
        self.tally.hit(response.seconds)
        if response.status != 302:  # a form shown again means the write was refused
            raise AssertionError(f"{what} as {self.username}: HTTP {response.status}")
        return response


def pages_from_home(session: Session, limit: int = 25) -> list[str]:
    """The pages a user reaches from the home page (a short breadth-first walk)."""
    seen, queue, found = {"/"}, deque(["/"]), []
    while queue and len(found) < limit:
        path = queue.popleft()
        response = session.get(path, expect=(200, 302))
        if response.status == 302:
            continue
        found.append(path)
        for link in LINK.findall(response.body):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP) and ".xlsx" not in link:
                seen.add(link)
                queue.append(link)
    return found


def run_until(deadline: float, tally: Tally, step) -> None:
    turn = 0
    while time.monotonic() < deadline:
        try:
            step(turn)
        except Exception as error:  # every failure is counted, none stops the soak
            tally.error(f"{type(error).__name__}: {error}")
        turn += 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_soak_of_reads_and_writes_has_no_error_and_loses_nothing(world, collected_static):
    production_passwords("member", "secretary", "general", "committee")
    branch = world.branch.pk
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    before = {
        model: model.objects.count() for model in (Visit, Opinion, Problem, Meeting, Attendance)
    }
    tally = Tally()
    env = production_env(database_url(), collected_static, DJANGO_CONN_MAX_AGE="60")

    with Server(env, workers=2) as server:
        member = Session(server.port, "member", tally)
        registrar = Session(server.port, "secretary", tally)
        recorder = Session(server.port, "secretary", tally)
        readers = [Session(server.port, name, tally) for name in ("general", "committee")]
        reading = {reader.username: pages_from_home(reader) for reader in readers}

        def file_visit(turn: int) -> None:
            form = member.form("/liaison/visits/new/")
            form.choose("visited")
            form["visited_on"] = f"{yesterday:%Y-%m-%d}"
            form["discussion"] = f"浸泡测试走访 {turn}"
            form["opinions"] = f"浸泡测试意见 {turn}"
            member.submit(form, "file a visit")
            tally.wrote(visits=1, opinions=1)
            member.get("/liaison/visits/")

        def register_problem(turn: int) -> None:
            page = registrar.get(f"/liaison/org/{branch}/opinions/?unregistered=1")
            links = REGISTER.findall(page.body)
            if not links:
                registrar.get(f"/liaison/org/{branch}/problems/")
                time.sleep(0.2)
                return
            form = registrar.form(links[0])
            form.choose("category")
            form.choose("owner")
            registrar.submit(form, "register a problem")
            tally.wrote(problems=1)

        def log_meeting(turn: int) -> None:
            form = recorder.form(f"/meetings/org/{branch}/new/?kind=theme_day")
            form["held_at"] = f"{yesterday:%Y-%m-%d}T{8 + turn % 10:02d}:00"
            form["topic"] = f"浸泡测试主题党日 {turn}"
            form["place"] = "三楼会议室"
            rows = int(form["att-TOTAL_FORMS"])
            recorder.submit(form, "log a meeting")
            tally.wrote(meetings=1, attendances=rows)
            recorder.get(f"/meetings/org/{branch}/")

        def read(reader: Session):
            pages = reading[reader.username]
            return lambda turn: reader.get(pages[turn % len(pages)], expect=(200, 302))

        started = time.monotonic()
        deadline = started + SOAK_SECONDS
        steps = [file_visit, register_problem, log_meeting] + [read(r) for r in readers]
        threads = [
            threading.Thread(target=run_until, args=(deadline, tally, step)) for step in steps
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SOAK_SECONDS + 120)
        elapsed = time.monotonic() - started
        for session in (member, registrar, recorder, *readers):
            session.browser.close()

    after = {model: model.objects.count() - n for model, n in before.items()}
    sent = tally.writes
    report(
        "soak",
        seconds=round(elapsed, 1),
        requests=tally.requests,
        requests_per_second=round(tally.requests / elapsed, 1),
        failed=len(tally.errors),
        first_errors=tally.errors[:5],
        slowest_request_seconds=round(tally.slowest, 2),
        sent=dict(sent),
        in_database={model.__name__: n for model, n in after.items()},
    )
    assert tally.errors == []
    assert sent["visits"] > 0 and sent["problems"] > 0 and sent["meetings"] > 0
    assert after == {
        Visit: sent["visits"],
        Opinion: sent["opinions"],
        Problem: sent["problems"],
        Meeting: sent["meetings"],
        Attendance: sent["attendances"],
    }
