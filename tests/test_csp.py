"""Content-Security-Policy: every page carries SECURE_CSP, and no page needs more.

The policy lets the browser run and apply only files the portal serves itself; an
injected <script>, on*= handler or style= attribute is refused by the browser. These
tests check the header on representative pages, that those pages (and every template)
hold nothing inline the policy would refuse, and the middleware that stands in for
Django 6's. tests/browser/test_csp.py opens pages in Chromium and fails on any
"Refused to ..." report.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tokenize
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from meetings.models import MeetingKind
from supplychain_party.csp import CSP, ContentSecurityPolicyMiddleware, build_policy

ROOT = Path(__file__).resolve().parent.parent


class InlineFinder(HTMLParser):
    """What in a page the policy would refuse: inline scripts, on*= handlers, style=
    attributes, <style> elements, javascript: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style" and value != "border-top: 0":  # hashed in SECURE_CSP
                self.found.append(f"<{tag} style={value!r}>")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style>")
        # A JSON data block (json_script) is not run, so the policy lets it be.
        self._script_without_src = (
            tag == "script"
            and "src" not in attributes
            and attributes.get("type") != "application/json"
        )

    def handle_data(self, data):
        if self._script_without_src and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_without_src = False


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def directives(header: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in header.split("; "))


@pytest.fixture
def admin_client(world, login):
    return login("superuser")


PAGES = {
    # page -> (persona, url built from the world)
    "login": ("anonymous", lambda w: "/login/"),
    "committee home": ("committee", lambda w: "/"),
    "organisation tree": ("general", lambda w: "/orgs/"),
    "branch page": ("secretary", lambda w: f"/orgs/{w.branch.pk}/"),
    "meeting form": (
        "secretary",
        lambda w: f"/meetings/org/{w.branch.pk}/new/?kind={MeetingKind.GENERAL_MEETING}",
    ),
    "meeting calendar": ("secretary", lambda w: f"/meetings/org/{w.branch.pk}/calendar/"),
    "person page": ("secretary", lambda w: f"/people/{w.member.pk}/"),
    "member card": ("member", lambda w: f"/vanguard/card/{w.member.pk}/"),
    "admin index": ("superuser", lambda w: "/admin/"),
    "admin change list": ("superuser", lambda w: "/admin/members/person/"),
    "admin change form": ("superuser", lambda w: f"/admin/members/person/{w.member.pk}/change/"),
    "admin history": (
        "superuser",
        lambda w: f"/admin/branches/organisation/{w.branch.pk}/history/",
    ),
    "admin periodic task": ("superuser", lambda w: "/admin/django_celery_beat/periodictask/add/"),
}


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_the_policy_and_the_page_needs_nothing_inline(page, login, world):
    persona, url = PAGES[page]
    response = login(persona).get(url(world))
    assert response.status_code == 200, page
    assert response["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    assert inline_parts(response.content.decode()) == [], page


def test_it_sends_the_policy_on_errors_and_static_files(client, db):
    assert "Content-Security-Policy" in client.get("/no-such-page/")
    static = client.get("/static/css/portal.css")
    assert static.status_code == 200
    assert "Content-Security-Policy" in static


def test_the_policy_allows_only_the_portals_own_files():
    policy = settings.SECURE_CSP
    assert policy["default-src"] == [CSP.SELF]
    assert policy["script-src"] == [CSP.SELF]
    assert policy["object-src"] == [CSP.NONE]
    assert policy["frame-ancestors"] == [CSP.NONE]
    assert policy["base-uri"] == [CSP.SELF]
    assert policy["form-action"] == [CSP.SELF]
    assert policy["img-src"] == [CSP.SELF, "data:"]
    every_source = [source for sources in policy.values() for source in sources]
    assert CSP.UNSAFE_INLINE not in every_source
    assert CSP.UNSAFE_EVAL not in every_source


def test_the_one_style_exception_is_simple_historys_paginator():
    """'unsafe-hashes' lets through exactly the style attributes whose hash is listed:
    only `border-top: 0` (django-simple-history's history page in the admin)."""
    digest = base64.b64encode(hashlib.sha256(b"border-top: 0").digest()).decode()
    assert settings.SECURE_CSP["style-src"] == [CSP.SELF, CSP.UNSAFE_HASHES, f"'sha256-{digest}'"]


def test_htmx_adds_no_inline_style(client, db):
    """htmx would add its indicator rules as a <style> element; base.html turns that off
    and portal.css carries them."""
    body = client.get("/login/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in body
    css = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css


# E-mails are not web pages: a mail client applies no CSP, and needs inline styles.
EXEMPT_TEMPLATES = ("notifications/email/",)
REFUSED_IN_TEMPLATES = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "<style> element": re.compile(r"<style[\s>]"),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "on*= handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_template_holds_what_the_policy_refuses():
    """templates/, and an app's own templates/ should one appear."""
    found = []
    for folder in [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]:
        for path in sorted(folder.rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            if name.startswith(EXEMPT_TEMPLATES):
                continue
            text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(ROOT)}: {what}"
                for what, rx in REFUSED_IN_TEMPLATES.items()
                if rx.search(text)
            ]
    assert found == []


def python_strings(path: Path) -> list[str]:
    """The string literals of a module (comments left out)."""
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    with path.open("rb") as source:
        return [token.string for token in tokenize.tokenize(source.readline) if token.type in kinds]


def test_no_python_module_writes_inline_styles_or_scripts():
    """HTML built in Python (admin columns, panels, template tags) follows the same rule."""
    refused = re.compile(r"""\sstyle=\\?["']|<script>|<style>|\son[a-z]+=\\?["']""")
    found = []
    for folder in sorted(ROOT.iterdir()):
        if (
            not folder.is_dir()
            or folder.name.startswith(".")
            or folder.name in ("node_modules", "tests")
        ):
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" not in path.parts and any(map(refused.search, python_strings(path))):
                found.append(path.relative_to(ROOT).as_posix())
    assert found == []


# The middleware stands in for Django 6's: the same rendering and the same rules.


def test_it_renders_a_policy_as_django_6_does():
    config = {
        "default-src": [CSP.SELF],
        "img-src": {"data:", CSP.SELF},  # a set is sorted
        "script-src": [CSP.SELF, CSP.NONCE],  # no nonce without Django 6: dropped
        "style-src": CSP.SELF,  # a single source
        "upgrade-insecure-requests": True,
        "report-uri": None,
        "frame-src": [],
    }
    assert build_policy(config) == (
        "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
        "upgrade-insecure-requests"
    )


def test_it_leaves_a_policy_the_view_set_alone():
    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


@override_settings(SECURE_CSP={}, SECURE_CSP_REPORT_ONLY={"default-src": [CSP.SELF]})
def test_an_empty_setting_sends_nothing_and_report_only_has_its_own_header():
    response = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(
        RequestFactory().get("/")
    )
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"
