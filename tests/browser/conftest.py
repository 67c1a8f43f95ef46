"""Browser journeys: pytest-playwright's sync API driving Debian's Chromium against
pytest-django's live server, with the interface in Chinese.

The live server runs in another thread with its own database connection, so the data
a journey builds must be committed: every journey is a `transaction=True` test (with
`serialized_rollback`, so the rows the migrations seed come back for the tests that
follow). Playwright's browsers are never downloaded: CHROMIUM_PATH, `chromium` on the
PATH or /usr/bin/chromium (scripts/browser.sh installs Debian's). Without it the
journeys fail, they never skip: CI must prove them.

Screenshots of every step go to artifacts/journeys/<journey>/<nn>-<step>.png.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("JOURNEY_ARTIFACTS") or ROOT / "artifacts" / "journeys")
PASSWORD = "pass-for-tests"  # tests.factories.UserFactory
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--lang=zh-CN",
]


def chromium_path() -> str:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or "/usr/bin/chromium"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The journeys run last: Playwright's event loop stays set in the main thread
    until the session ends, and Django refuses ORM calls while a loop runs there."""
    journeys = [item for item in items if item.get_closest_marker("browser")]
    if journeys and len(journeys) != len(items):
        others = [item for item in items if not item.get_closest_marker("browser")]
        items[:] = others + journeys


@pytest.fixture(scope="session")
def _serialized_contents(django_db_setup):
    """What the test databases held once migrated (for `serialized_rollback`), read
    before Playwright starts."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright(_serialized_contents, playwright):
    """Django's ORM in the main thread while Playwright's sync API runs its event loop
    there. Django then refuses ORM calls (SynchronousOnlyOperation) unless told
    otherwise, and keeps its connections per context instead of per thread: the
    connections the journeys use are new objects, which must learn what the migrated
    databases held, or `serialized_rollback` would restore nothing."""
    from django.db import connections

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    for alias, contents in _serialized_contents.items():
        connections[alias]._test_serialized_contents = contents
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if not os.access(path, os.X_OK):
        pytest.fail(
            f"Chromium was not found at {path}: the browser journeys need Debian's chromium "
            "(scripts/browser.sh installs it: apt-get install chromium fonts-wqy-microhei), "
            "or CHROMIUM_PATH pointing at a Chromium binary. Playwright's own browsers are "
            "not used.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Pages open relative to the live server. (Also replaces pytest-playwright's own
    `base_url`, a session fixture defined as an instance method, which pytest 9 warns
    about and the suite's warnings-as-errors would refuse.)"""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # LocaleMiddleware follows Accept-Language; headless Chromium would send en-US.
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 800},
    }


def zh(message: str) -> str:
    """The Chinese the portal shows for an English msgid."""
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        return gettext(message)


def zh_label(label) -> str:
    """A lazy label (model choice, verbose name) in Chinese."""
    with translation.override("zh-hans"):
        return str(label)


def panels_loaded(tab) -> None:
    """Wait until the panels a page loads by htmx have replaced their placeholders.

    A locator, not `wait_for_function`: Playwright evaluates a function's text with
    eval() inside the page, which the Content-Security-Policy refuses."""
    expect(tab.locator('[hx-trigger="load"]')).to_have_count(0)


class Shots:
    """Full-page screenshots of a journey's steps, numbered in order."""

    def __init__(self, journey: str):
        self.folder = ARTIFACTS / journey
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.n = 0

    def __call__(self, tab, step: str) -> Path:
        self.n += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.n:02d}-{slug}.png"
        # The panels a page loads by htmx replace their placeholders once loaded.
        panels_loaded(tab)
        tab.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request):
    """shots(tab, "step") saves the tab's full page as the journey's next step."""
    return Shots(request.node.originalname.removeprefix("test_"))


def log_in(tab, live_server, username: str) -> None:
    """Log in through the login form, in Chinese."""
    tab.goto(f"{live_server.url}/")
    tab.locator("input[name=username]").fill(username)
    tab.locator("input[name=password]").fill(PASSWORD)
    tab.get_by_role("button", name=zh("Log in")).click()
    tab.wait_for_load_state()
    assert tab.locator("html").get_attribute("lang", timeout=5000).startswith("zh")
