"""The permission matrix: every named URL of the portal and of the admin, opened by
every role, generated from the URL configuration so that a new page cannot escape it.

A URL name the matrix does not know fails `test_every_named_url_is_in_the_matrix`:
whoever adds a page adds it to `tests/matrix/registry.py` with its access class. Each
page is then opened (GET) on the demo data by anonymous, a member, the secretary of
another branch, the branch's secretary, the general branch, the committee and the
superuser (see tests/matrix/personas.py); a failure names the URL and the role.

The rules: anonymous -> the login page (the admin's login for the admin), except for
public pages; a refused role -> 404 (403 where a whole list is refused to people
without a post), never 200; an allowed role -> 200 (or a redirect to a landing page);
nothing ever answers 500.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook, load_workbook

from tests.demo.conftest import checked_once
from tests.matrix.admin_urls import (
    SITE_PAGES,
    SUPERUSER_ONLY,
    AdminPage,
    admin_url,
    model_pages,
)
from tests.matrix.extras import create_admin_rows, create_extras
from tests.matrix.personas import (
    ANONYMOUS,
    COMMITTEE,
    GENERAL,
    MEMBER,
    OTHER_GENERAL,
    OTHER_SECRETARY,
    ROLES,
    SECRETARY,
    SUPERUSER,
    UNLINKED,
    make_clients,
)
from tests.matrix.registry import (
    ANY_LOGIN,
    BRANCH,
    LEADERS,
    OWN,
    PERSON,
    PUBLIC,
    REGISTRY,
    SELF,
    person,
    person_as_pk,
)
from tests.matrix.registry import COMMITTEE as COMMITTEE_ONLY
from tests.matrix.targets import Targets

LOGGED_IN = frozenset(ROLES) - {ANONYMOUS}
ALLOWED = {
    PUBLIC: frozenset(ROLES),
    ANY_LOGIN: LOGGED_IN,
    PERSON: LOGGED_IN - {SUPERUSER, UNLINKED},
    SELF: frozenset({MEMBER}),
    OWN: frozenset({MEMBER, SECRETARY, GENERAL, COMMITTEE, SUPERUSER}),
    LEADERS: LOGGED_IN - {MEMBER, UNLINKED},
    BRANCH: frozenset({SECRETARY, GENERAL, COMMITTEE, SUPERUSER}),
    COMMITTEE_ONLY: frozenset({COMMITTEE, SUPERUSER}),
}
REFUSED = (403, 404)
# Roles whose scope does not reach the target person: no page shows them her phone.
OUTSIDERS = (UNLINKED, OTHER_SECRETARY, OTHER_GENERAL)
# Pages that show a person's full phone number to those whose scope reaches her; every
# other page and export masks it (Person.masked_phone), whoever opens it.
FULL_PHONE_PAGES = {
    "members:person_detail",  # her own record, and her leaders' view of it
    # The roster sheet to edit and import back: the register's own numbers, so that
    # importing it unchanged changes nothing (members/imports/sheet.py).
    "members:roster_template",
}


def named_urls(resolver=None, namespace: str | None = None) -> set[str]:
    """Every named pattern, with its namespace, walking includes recursively."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


ALL_NAMES = named_urls()
ADMIN_MODEL_PAGES = model_pages()
PORTAL_NAMES = sorted(name for name in ALL_NAMES if not name.startswith("admin:"))
ADMIN_NAMES = sorted(name for name in ALL_NAMES if name.startswith("admin:"))
ADMIN_MODEL_PAGES = {
    n: p for n, p in ADMIN_MODEL_PAGES.items() if n in ADMIN_NAMES or p.page != "simple_history"
}


@pytest.fixture(scope="module")
def targets() -> Targets:
    return Targets()


@pytest.fixture(scope="module")
def clients(_loaded_once, django_db_blocker, targets, tmp_path_factory):
    """One logged-in client per role and the rows the demo lacks, in a savepoint of the
    package's demo transaction rolled back when the module ends (uploads go to a
    temporary media root)."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        create_extras(targets)
        create_admin_rows(targets)
        checked_once(connection)  # once here, not again at the end of every test
        yield make_clients()
        transaction.set_rollback(True)


def open_as(client, url: str):
    """(status, location, empty body) of a GET; an exception in the view is a 500."""
    status, location, body = fetch(client, url)
    return status, location, body is not None and not body.strip()


def fetch(client, url: str) -> tuple[int, str, bytes | None]:
    """(status, location, body or None when streamed)."""
    try:
        response = client.get(url)
    except Exception as exc:  # a crash is what the matrix reports
        return 500, f"{type(exc).__name__}: {exc}", None
    body = None if getattr(response, "streaming", False) else response.content
    return response.status_code, response.get("Location", ""), body


def readable(body: bytes) -> str:
    """The text of a page, or of every cell of an Excel export (a zip, whose compressed
    bytes would hide a phone number from a plain search)."""
    if not body.startswith(b"PK"):
        return body.decode(errors="replace")
    workbook = load_workbook(BytesIO(body), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def judge(
    role: str, status: int, location: str, allowed: bool, *, post: bool, login: str
) -> str | None:
    """Why this answer is wrong, or None."""
    if status >= 500:
        return f"{status} {location}"
    if role == ANONYMOUS and not allowed:
        if post and status == 405:
            return None
        if status == 302 and location.startswith(login):
            return None
        return f"{status} {location}, not a redirect to {login}"
    if post:
        if not allowed and status == 200:
            return "200 for a refused role"
        return None
    if allowed:
        if status == 200 or (status == 302 and not location.startswith(login)):
            return None
        return f"{status} {location} for an allowed role"
    if status in REFUSED:
        return None
    return f"{status} {location} for a refused role (want 404)"


def unknown_names(names) -> list[str]:
    """URL names the matrix has no entry for."""
    return sorted(
        name
        for name in names
        if name not in REGISTRY and name not in ADMIN_MODEL_PAGES and name not in SITE_PAGES
    )


def test_a_new_page_is_reported_until_the_matrix_knows_it():
    assert unknown_names(ALL_NAMES | {"newapp:index", "admin:newapp_thing_export"}) == [
        "admin:newapp_thing_export",
        "newapp:index",
    ]


def test_every_named_url_is_in_the_matrix():
    unknown = unknown_names(ALL_NAMES)
    assert not unknown, (
        "URL names the permission matrix does not know (add them to "
        "tests/matrix/registry.py):\n" + "\n".join(unknown)
    )
    stale = sorted(set(REGISTRY) - set(PORTAL_NAMES))
    assert not stale, f"the matrix names URLs that no longer exist: {stale}"


def test_the_matrix_covers_every_admin_model_page():
    # Every ModelAdmin has the five standard pages; simple_history's only those with
    # a history.
    standard = {n for n, page in ADMIN_MODEL_PAGES.items() if page.page != "simple_history"}
    missing = sorted(standard - set(ADMIN_NAMES))
    assert not missing, f"admin pages the matrix expects but the admin lacks: {missing}"


@pytest.mark.parametrize("name", PORTAL_NAMES)
def test_portal_page(name, clients, targets, loaded):
    entry = REGISTRY.get(name)
    if entry is None:
        pytest.fail(f"{name} is not in the permission matrix")
    kwargs = entry.kwargs(targets) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    allowed = entry.roles if entry.roles is not None else ALLOWED[entry.access]
    wrong = []
    for role in ROLES:
        status, location, body = fetch(clients[role], url)
        empty = body is not None and not body.strip()
        if body and targets.person.phone in readable(body):
            if role in OUTSIDERS:
                wrong.append(f"{name} as {role}: shows the target person's phone number")
            elif name not in FULL_PHONE_PAGES:
                wrong.append(f"{name} as {role}: a full phone number (mask it in lists/exports)")
        if entry.empty_if_refused and status == 200 and empty and role != ANONYMOUS:
            continue
        why = judge(role, status, location, role in allowed, post=entry.post, login="/login/")
        if why:
            wrong.append(f"{name} as {role} ({entry.access}): {why}")
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_page(name, clients, loaded):
    entry = ADMIN_MODEL_PAGES.get(name) or AdminPage(name)
    access = "staff" if entry.model else SITE_PAGES[name]
    url = admin_url(entry)
    if url is None:
        pytest.skip(f"the demo has no {entry.model._meta.label} row to open {name} for")
    login = reverse("admin:login")
    superuser_only = name == "admin:auth_user_password_change" or (
        entry.model is not None and entry.model._meta.label in SUPERUSER_ONLY
    )
    wrong, seen = [], {}
    for role in sorted(ROLES, key=lambda role: role != SUPERUSER):
        status, location, _empty = open_as(clients[role], url)
        if access == "public":
            why = None if status < 500 else f"{status} {location}"
        elif access == "refused":
            why = None if status not in (200, 500) else f"{status} {location}"
        elif role == SUPERUSER:
            # The page, or 403 where the admin refuses the action to everyone (read-only
            # and service-only models: add, delete).
            seen[role] = status
            why = None if status in (200, 403) else f"{status} {location}"
        elif role == COMMITTEE and superuser_only:
            why = None if status == 403 else f"{status} {location} (superuser only: want 403)"
        elif role == COMMITTEE:
            # The committee admin group has every permission: what the superuser gets.
            seen[role] = status
            why = (
                None
                if status == 200 or status == seen.get(SUPERUSER)
                else (f"{status} {location} (superuser: {seen.get(SUPERUSER)})")
            )
        else:
            allowed_redirect = status == 302 and location.startswith(login)
            why = (
                None
                if allowed_redirect or (access == "post" and status == 405)
                else (f"{status} {location}, not a redirect to the admin login")
            )
        if why:
            wrong.append(f"{name} as {role}: {why}")
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


PERSON_PAGES = sorted(
    name
    for name, entry in REGISTRY.items()
    if entry.access == OWN and entry.kwargs in (person, person_as_pk)
)


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_a_member_cannot_open_a_colleagues_records(name, clients, targets, loaded):
    """The member sees their own records, not those of a colleague in the same branch;
    the branch's secretary sees both."""
    entry = REGISTRY[name]
    url = reverse(name, kwargs=entry.kwargs(_AsColleague(targets)))
    status, location, _empty = open_as(clients[MEMBER], url)
    assert status in REFUSED, f"{name} as member on a colleague's record: {status} {location}"
    status, location, _empty = open_as(clients[SECRETARY], url)
    assert status == 200, f"{name} as secretary on a member's record: {status} {location}"


class _AsColleague:
    """The targets, with the colleague as the target person."""

    def __init__(self, targets: Targets):
        self.person = targets.colleague
        self.branch = targets.branch


def test_the_phone_number_check_can_fail(clients, targets, loaded):
    """The outsiders' phone check means something: the target person's page shows the
    number to her secretary."""
    phone = targets.person.phone
    assert phone
    url = reverse("members:person_detail", kwargs={"pk": targets.person.pk})
    _status, _location, body = fetch(clients[SECRETARY], url)
    assert phone in readable(body)
    # ...and inside an Excel export too.
    workbook = Workbook()
    workbook.active.append(["姓名", phone])
    sheet = BytesIO()
    workbook.save(sheet)
    assert phone.encode() not in sheet.getvalue()
    assert phone in readable(sheet.getvalue())
