"""The benchmark's in-process half: who the personas are, which pages are measured,
sessions for the HTTP load, SQL query counts per page, and the timed jobs.

Runs inside Django against one database (the runner starts it once per database).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import LAST_SEEN
from branches.models import Organisation
from members.models import Post
from scale.generator.names import GENERAL_BRANCH_KINDS, PLACES
from scale.generator.people import SUPERUSER

Kind = Organisation.Kind
COMMITTEE, SECRETARY, SUPER = "committee secretary", "branch secretary", "superuser"
TRIVIAL = "trivial logged-in page"


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    path: str
    note: str = ""


def personas() -> dict[str, object]:
    """The committee's secretary, the secretary of the first branch of the first
    general branch of the first subsidiary (the same branch at every factor), and the
    generated superuser."""
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise LookupError("No organisations: generate the data set first.")
    committee = (
        Post.objects.current()
        .filter(organisation=root, role=Post.Role.SECRETARY, person__user__isnull=False)
        .select_related("person__user")
        .get()
    )
    place = PLACES[0]
    subsidiary = Organisation.objects.get_children(root).get(name=f"{place}物资分公司党委")
    general = Organisation.objects.get_children(subsidiary).get(
        name=f"{place}{GENERAL_BRANCH_KINDS[0]}党总支"
    )
    branch = Organisation.objects.get_children(general).get(name__endswith="第1党支部")
    secretary = (
        Post.objects.current()
        .filter(organisation=branch, role=Post.Role.SECRETARY, person__user__isnull=False)
        .select_related("person__user")
        .get()
    )
    return {
        COMMITTEE: committee.person.user,
        SECRETARY: secretary.person.user,
        SUPER: get_user_model().objects.get(username=SUPERUSER),
        "_root": root,
        "_branch": branch,
    }


def key_pages(people: dict[str, object]) -> list[Page]:
    root, branch = people["_root"], people["_branch"]
    general = Organisation.objects.get_parent(branch)
    return [
        Page(
            TRIVIAL,
            SUPER,
            reverse("notifications:list"),
            "the superuser's notifications (none): the cheapest logged-in page",
        ),
        Page(
            "secretary home",
            SECRETARY,
            reverse("branches:organisation_detail", args=[branch.pk]),
            "/ redirects a branch secretary here; the final page is measured",
        ),
        Page(
            "meeting list",
            SECRETARY,
            reverse("meetings:meeting_list", args=[branch.pk]),
            "the same branch's meetings",
        ),
        Page(
            "compliance roll-up (committee)",
            COMMITTEE,
            reverse("meetings:compliance", args=[root.pk]),
            "the provincial committee's whole tree",
        ),
        Page(
            "problem ledger (general branch)",
            COMMITTEE,
            reverse("liaison:problem_list", args=[general.pk]),
            "the ledger of the branch's general branch",
        ),
        Page("overview dashboard", COMMITTEE, reverse("home"), "the committee's home page (/)"),
        Page(
            "overview dashboard (subtree, month)",
            COMMITTEE,
            reverse("overview:dashboard", args=[root.pk]),
            "the provincial committee's whole subtree for the current month, summed from "
            "overview.MonthlyFigures and the compliance summary",
        ),
        Page(
            "admin: people changelist",
            SUPER,
            "/admin/members/person/",
            "the committee admin's list of people",
        ),
    ]


def session_for(user) -> str:
    """A logged-in session written straight to the database (no password check, so
    the login lockout never trips), fresh for the idle timeout."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_SEEN] = int(time.time())
    store.create()
    return store.session_key


def _refresh(session_key: str) -> None:
    store = SessionStore(session_key)
    store[LAST_SEEN] = int(time.time())
    store.save()


def count_queries(pages: list[Page], people: dict[str, object]) -> dict[str, int]:
    """SQL queries of each page (after one warm-up request that fills the caches)."""
    keys = {name: session_for(user) for name, user in people.items() if not name.startswith("_")}
    counts = {}
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[page.persona]
        # The idle-timeout stamp is rewritten once a minute: refresh it so that
        # write never falls inside the counted request.
        _refresh(keys[page.persona])
        response = client.get(page.path)
        if response.status_code != 200:
            raise RuntimeError(f"{page.path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(page.path)
        counts[page.name] = len(queries)
    return counts


@dataclass
class JobRun:
    job: str
    run: int
    seconds: float
    created: int


def time_jobs() -> list[JobRun]:
    """The monthly study reminder fan-out and the daily sweeps, each run twice
    in-process as the worker runs them: the second run must create nothing.

    The fan-out runs as on the first of next month, when no organisation has held
    that month's study yet: its largest run. The sweeps run as of now."""
    import datetime

    from django.utils import timezone

    from liaison.tasks import escalate_overdue_problems, send_problem_reminders
    from meetings.reminders import monthly_study_reminders_send
    from meetings.tasks import send_compliance_reminders
    from notifications.services import emails_send_pending

    today = timezone.localdate()
    first_of_next = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)

    def fan_out() -> int:  # the body of meetings.tasks.send_monthly_study_reminders
        created = monthly_study_reminders_send(today=first_of_next, day=1)
        emails_send_pending()
        return created

    jobs = [
        (f"monthly study reminder fan-out (as on {first_of_next})", fan_out),
        (
            "daily deadline sweep (reminders + escalations)",
            lambda: send_problem_reminders() + escalate_overdue_problems(),
        ),
        ("daily compliance reminders", lambda: send_compliance_reminders()),
    ]
    runs = []
    for name, job in jobs:
        for run in (1, 2):
            started = time.monotonic()
            created = job()
            runs.append(JobRun(name, run, time.monotonic() - started, int(created)))
    return runs


def as_dicts(items) -> list[dict]:
    return [asdict(item) for item in items]


def sizes() -> dict[str, int]:
    """Rows in the tables the data set is made of."""
    from liaison.models import Problem, Visit
    from meetings.models import Attendance, Meeting
    from members.models import Person

    models = {
        "organisations": Organisation,
        "people": Person,
        "meetings": Meeting,
        "attendance": Attendance,
        "visits": Visit,
        "problems": Problem,
    }
    return {name: model.objects.count() for name, model in models.items()}


@dataclass
class AdminCheck:
    url: str
    status: int
    ms: float
    queries: int
    full_counts: list[str]
    options: int

    @property
    def problems(self) -> list[str]:
        found = []
        if self.status not in (200, 403):  # 403: a read-only model has no add form
            found.append(f"HTTP {self.status}")
        if self.full_counts:
            found.append("full-table COUNT(*) of " + ", ".join(self.full_counts))
        if self.options > ADMIN_MAX_OPTIONS:
            found.append(f"{self.options} <option>s (a drop-down instead of autocomplete)")
        if self.ms > ADMIN_SLOW_MS:
            found.append(f"{self.ms:.0f} ms")
        return found


# More options than this grow with the data (a fixed list, e.g. time zones, stays below).
ADMIN_MAX_OPTIONS = 1000
ADMIN_SLOW_MS = 1000
ADMIN_BIG_TABLE = 10_000


def admin_sweep() -> list[AdminCheck]:
    """Open every admin changelist and add form as the superuser and note what will
    not hold at scale: a COUNT(*) over a whole big table, a drop-down with hundreds
    of options where an autocomplete belongs, a page slower than a second."""
    import re

    from django.contrib import admin

    user = get_user_model().objects.get(username=SUPERUSER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session_for(user)
    big = set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [ADMIN_BIG_TABLE]
        )
        big = {row[0] for row in cursor.fetchall()}
    count_re = re.compile(r'SELECT COUNT\(\*\) AS "__count" FROM "(\w+)"\s*$')
    checks = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            _refresh(client.cookies[settings.SESSION_COOKIE_NAME].value)
            started = time.monotonic()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            ms = (time.monotonic() - started) * 1000
            full = sorted(
                {
                    m.group(1)
                    for q in queries.captured_queries
                    if (m := count_re.match(q["sql"])) and m.group(1) in big
                }
            )
            options = response.content.count(b"<option") if response.status_code == 200 else 0
            checks.append(AdminCheck(url, response.status_code, ms, len(queries), full, options))
    return checks


def explain(pages: list[Page], people: dict[str, object], *, slowest: int = 2) -> str:
    """For each page: its time split between SQL and Python, and EXPLAIN ANALYZE of
    its slowest queries (markdown), to say why a page misses its target."""
    keys = {name: session_for(user) for name, user in people.items() if not name.startswith("_")}
    out = []
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[page.persona]
        _refresh(keys[page.persona])
        client.get(page.path)
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            client.get(page.path)
        total = (time.monotonic() - started) * 1000
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        out.append(
            f"## {page.name} ({page.path})\n\n{total:.0f} ms in-process: {sql:.0f} ms in "
            f"{len(queries)} queries, {total - sql:.0f} ms in Python (view and template).\n"
        )
        ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        for captured in ranked[:slowest]:
            if not captured["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(
                f"{float(captured['time']) * 1000:.0f} ms:\n\n```sql\n{captured['sql']}\n```\n\n"
                f"```\n{plan}\n```\n"
            )
    return "\n".join(out)
