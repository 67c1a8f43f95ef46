"""PostgreSQL restarted under load: the portal carries on without being restarted itself.

A private PostgreSQL cluster (never the machine's shared server) gets the test database's
schema and personas through `manage.py restore`; gunicorn serves it with production
settings (persistent connections: CONN_MAX_AGE=60). Logged-in sessions keep requesting
pages from three threads while the cluster is restarted (`pg_ctl restart -m fast`, which
cuts every connection) under load, then restarted again while the portal is idle, then
stopped for three seconds and started again.

Requests in flight during an outage may fail, quickly and with a 500 (never a hang or a
dead server); every request that starts once the cluster is back succeeds, because
CONN_HEALTH_CHECKS makes each worker check its connection before the request uses it and
open a new one. The idle restart is the one that needs it: without the check, the first
request of each worker after it fails (measured: 2 failures with two workers). The
gunicorn master and its workers are the same processes at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from scale.bench.run import Server
from supplychain_party.backup import database_backup
from tests.faults.cluster import PrivateCluster, postgres_bin_dir
from tests.faults.conftest import (
    BASE_DIR,
    PASSWORD,
    production_env,
    production_passwords,
    report,
)
from tests.faults.web import Browser

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(postgres_bin_dir() is None, reason="PostgreSQL's server is not installed"),
]

OUTAGE_SECONDS = 3.0


@dataclass
class Hit:
    started: float
    ended: float
    status: int | None  # None: the connection failed
    error: str = ""
    location: str = ""

    @property
    def ok(self) -> bool:
        """A page, or the home page's redirect to the secretary's branch (not to login)."""
        return self.status == 200 or (self.status == 302 and "/login/" not in self.location)


def children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


class Load:
    """Sessions requesting pages in threads until stopped; `pause()` lets the server
    go idle (every request answered, none sent) until `resume()`."""

    def __init__(self, browsers: list[Browser], paths: list[str]) -> None:
        self.paths = paths
        self.hits: list[Hit] = []
        self.stop = threading.Event()
        self.go = threading.Event()
        self.go.set()
        self.busy = [False] * len(browsers)
        self.threads = [
            threading.Thread(target=self._run, args=(n, browser))
            for n, browser in enumerate(browsers)
        ]

    def _run(self, n: int, browser: Browser) -> None:
        turn = 0
        while not self.stop.is_set():
            if not self.go.wait(timeout=0.1):
                continue
            self.busy[n] = True
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.monotonic()
            try:
                response = browser.get(path)
                hit = Hit(started, time.monotonic(), response.status, location=response.location)
            except OSError as exc:  # the server itself did not answer
                hit = Hit(started, time.monotonic(), None, repr(exc))
            self.hits.append(hit)
            self.busy[n] = False
            time.sleep(0.02)
        browser.close()

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def pause(self) -> None:
        self.go.clear()
        deadline = time.monotonic() + 30
        while any(self.busy) and time.monotonic() < deadline:
            time.sleep(0.05)

    def resume(self) -> None:
        self.go.set()


def restore_into(url: str, dump: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.test",
        "DATABASE_URL": url,
    }
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "restore", str(dump)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_portal_recovers_from_a_postgresql_restart_without_being_restarted(
    world, collected_static, tmp_path
):
    production_passwords("secretary", "committee")
    dump = database_backup(output=tmp_path / "world.dump").path
    paths = ["/", f"/meetings/org/{world.branch.pk}/", "/notifications/"]

    with PrivateCluster() as cluster:
        url = cluster.createdb("party")
        restore_into(url, dump)
        env = production_env(url, collected_static, DJANGO_CONN_MAX_AGE="60")
        with Server(env, workers=2) as server:
            master = server.process.pid
            workers_before = children(master)
            browsers = []
            for username in ("secretary", "secretary", "committee"):
                browsers.append(Browser(server.port, timeout=30))
                browsers[-1].login(username, PASSWORD)
            with Load(browsers, paths) as load:
                time.sleep(3)  # every worker now holds a persistent connection
                # 1. Restarted while busy.
                restart_began = time.monotonic()
                cluster.restart("fast")
                restart_back = time.monotonic()
                time.sleep(3)
                # 2. Restarted while idle (at night): the workers' connections die
                # unnoticed, and the next requests must not be served on them.
                load.pause()
                idle_began = time.monotonic()
                cluster.restart("fast")
                idle_back = time.monotonic()
                time.sleep(0.5)
                load.resume()
                time.sleep(3)
                # 3. Down for a few seconds.
                outage_began = time.monotonic()
                cluster.stop("fast")
                time.sleep(OUTAGE_SECONDS)
                cluster.start()
                outage_back = time.monotonic()
                time.sleep(4)
            hits = load.hits
            workers_after = children(master)
            assert server.process.poll() is None, "gunicorn died"

    def window(start: float, end: float) -> list[Hit]:
        """The requests made entirely between `start` and `end`."""
        return [hit for hit in hits if start <= hit.started and hit.ended < end]

    before = window(0, restart_began)
    after_restart = window(restart_back, idle_began)
    after_idle_restart = window(idle_back, outage_began)
    during_outage = window(outage_began, outage_back)
    after_outage = window(outage_back, float("inf"))
    failed = [hit for hit in hits if not hit.ok]

    assert before and all(hit.ok for hit in before), "failures before any fault"
    # Once the cluster is back, every request succeeds: no stale connection is reused.
    assert after_restart and [h for h in after_restart if not h.ok] == []
    assert after_idle_restart and [h for h in after_idle_restart if not h.ok] == []
    assert after_outage and [h for h in after_outage if not h.ok] == []
    # While it is down, requests fail, with a 500 from a live server.
    assert [hit for hit in during_outage if not hit.ok]
    assert {hit.status for hit in failed} == {500}, [h.error for h in failed][:3]
    assert max(hit.ended - hit.started for hit in hits) < 15
    # The portal was not restarted: same master, same workers.
    assert workers_after == workers_before and len(workers_before) == 2

    def recovery(began: float) -> float:
        return min(hit.ended for hit in hits if hit.started >= began and hit.ok) - began

    report(
        "postgres_restart",
        requests=len(hits),
        failed=len(failed),
        failed_statuses=sorted({hit.status for hit in failed}, key=str),
        restart_seconds=round(restart_back - restart_began, 2),
        failed_during_restart=len([h for h in window(restart_began, restart_back) if not h.ok]),
        failed_after_idle_restart=len([h for h in after_idle_restart if not h.ok]),
        first_success_after_restart_began=round(recovery(restart_began), 2),
        first_success_after_restart_back=round(recovery(restart_back), 2),
        outage_seconds=round(outage_back - outage_began, 2),
        failed_during_outage=len([h for h in window(outage_began, outage_back) if not h.ok]),
        first_success_after_outage_back=round(recovery(outage_back), 2),
        slowest_request_seconds=round(max(hit.ended - hit.started for hit in hits), 2),
    )


def test_production_keeps_connections_and_checks_them_before_use(tmp_path):
    """What the recovery above rests on: persistent connections (CONN_MAX_AGE) that are
    checked at the start of each request (CONN_HEALTH_CHECKS) in production."""
    env = production_env("postgres://party@127.0.0.1:1/party", tmp_path)
    env.pop("DJANGO_CONN_MAX_AGE", None)
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import "
            "settings as s; d = s.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['ATOMIC_REQUESTS'])",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    max_age, health_checks, atomic = printed
    assert int(max_age) > 0 and health_checks == "True" and atomic == "True"
