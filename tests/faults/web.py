"""Talking to a running portal as a browser would: a session with cookies over http.client,
and HTML forms read from the page (hidden fields, CSRF token, pre-selected options), so
writes go through the real forms.

    browser = Browser(port)
    browser.login("secretary", "password")
    form = browser.form("/liaison/visits/new/")
    form["discussion"] = "..."
    response = browser.submit(form)      # 302 when saved
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """A form as the browser would send it: `fields` in page order, `options` of each select."""

    action: str
    method: str = "get"
    fields: list[tuple[str, str]] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return dict(self.fields)[name]

    def __setitem__(self, name: str, value: str) -> None:
        """Set a field (the first of that name), adding it when the page had none."""
        for index, (key, _value) in enumerate(self.fields):
            if key == name:
                self.fields[index] = (name, value)
                return
        self.fields.append((name, value))

    def __contains__(self, name: str) -> bool:
        return any(key == name for key, _value in self.fields)

    def choose(self, name: str, index: int = 0) -> str:
        """Pick the `index`-th non-empty option of a select; returns its value."""
        value = [option for option in self.options[name] if option][index]
        self[name] = value
        return value

    def data(self) -> dict[str, str]:
        return dict(self.fields)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
            self._form.options[name] = []
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._text = []
            if "selected" in a and self._option is not None:
                self._select_value = self._option
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "option" and self._select is not None:
            value = self._option if self._option is not None else "".join(self._text).strip()
            self._form.options[self._select].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._form.options[self._select]
            chosen = self._select_value
            if chosen is None:
                chosen = options[0] if options else ""  # a browser sends the first option
            self._form.fields.append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._form.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def post_form(html: str) -> Form:
    """The page's main POST form (the first one that is not the language switch or logout)."""
    for form in forms_of(html):
        if form.method == "post" and not form.action.startswith(("/i18n/", "/logout/")):
            return form
    raise AssertionError("no POST form on the page")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """One user's session against the portal on 127.0.0.1:`port` (keep-alive; cookies
    set by the server are kept whatever their Secure flag, as on loopback behind the
    reverse proxy)."""

    def __init__(self, port: int, *, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Response:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Accept-Language": "en",
            "User-Agent": "faults-browser",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            self._conn.request(method, path, body=body, headers=headers)
            raw = self._conn.getresponse()
            content = raw.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        seconds = time.perf_counter() - started
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "max-age=0" not in value.lower():
                    self.cookies[key.strip()] = cookie_value
                else:
                    self.cookies.pop(key.strip(), None)
        if (raw.getheader("Connection") or "").lower() == "close":
            self.close()  # gunicorn's sync workers close; the next request reconnects
        headers_out = {name.lower(): value for name, value in raw.getheaders()}
        return Response(raw.status, headers_out, content.decode("utf-8", "replace"), seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Response:
        return self.request("POST", path, data)

    def form(self, path: str) -> Form:
        """GET the page and return its main POST form, posted back to `path` by default."""
        page = self.get(path)
        if page.status != 200:
            raise AssertionError(f"GET {path}: HTTP {page.status}")
        form = post_form(page.body)
        form.action = form.action or path
        return form

    def submit(self, form: Form) -> Response:
        return self.post(form.action, form.data())

    def login(self, username: str, password: str) -> None:
        form = self.form("/login/")
        form["username"] = username
        form["password"] = password
        response = self.submit(form)
        if response.status != 302:
            raise AssertionError(f"login as {username}: HTTP {response.status}")
