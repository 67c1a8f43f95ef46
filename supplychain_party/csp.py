"""Content-Security-Policy for Django 5.2, the way Django 6.0 does it.

Django 6.0 sends the header itself: `django.middleware.csp.ContentSecurityPolicyMiddleware`
configured by `SECURE_CSP` (and `SECURE_CSP_REPORT_ONLY`), a dict of directive -> list of
sources, with the source keywords in `django.utils.csp.CSP`. Django 5.2 has none of it,
so this module copies that interface: the same setting names and shape, the same
constants (`CSP.SELF`, `CSP.NONE`, ...), the same rendering (`build_policy`), and a
header a view has already set is left alone.

Moving to Django 6: delete this module, put
`django.middleware.csp.ContentSecurityPolicyMiddleware` where
`supplychain_party.csp.ContentSecurityPolicyMiddleware` is in `MIDDLEWARE`, and import
`CSP` from `django.utils.csp` in the settings. Nothing else changes.

Not copied: the per-request nonce (`CSP.NONCE`, the `csp_nonce` context variable) and
the per-view override decorators. The portal has no inline script or style at all
(`tests/test_csp.py` checks the templates), so it needs neither; a `CSP.NONCE` in the
setting is dropped, as Django 6 drops it when no template asked for a nonce.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # the settings import this module: keep its imports light
    from django.http import HttpRequest, HttpResponse


class CSP(StrEnum):
    """The source keywords, spelled as in `django.utils.csp.CSP`."""

    HEADER_ENFORCE = "Content-Security-Policy"
    HEADER_REPORT_ONLY = "Content-Security-Policy-Report-Only"

    NONE = "'none'"
    REPORT_SAMPLE = "'report-sample'"
    SELF = "'self'"
    STRICT_DYNAMIC = "'strict-dynamic'"
    UNSAFE_EVAL = "'unsafe-eval'"
    UNSAFE_HASHES = "'unsafe-hashes'"
    UNSAFE_INLINE = "'unsafe-inline'"
    WASM_UNSAFE_EVAL = "'wasm-unsafe-eval'"

    NONCE = "<CSP_NONCE_SENTINEL>"


def build_policy(config: dict) -> str:
    """The header value for a `SECURE_CSP`-shaped dict (as Django 6's `build_policy`):
    `None`/`False` leave a directive out, `True` writes it alone (e.g.
    `upgrade-insecure-requests`), a set is sorted, a single string is one source."""
    policy = []
    for directive, values in config.items():
        if values in (None, False):
            continue
        if values is True:
            rendered = ""
        else:
            if isinstance(values, set):
                values = sorted(values)
            elif not isinstance(values, list | tuple):
                values = [values]
            values = [value for value in values if value != CSP.NONCE]
            if not values:
                continue
            rendered = " ".join(str(value) for value in values)
        policy.append(f"{directive} {rendered}".rstrip())
    return "; ".join(policy)


class ContentSecurityPolicyMiddleware:
    """Adds `Content-Security-Policy` (from `SECURE_CSP`) and
    `Content-Security-Policy-Report-Only` (from `SECURE_CSP_REPORT_ONLY`) to every
    response that does not carry that header yet; an empty setting sends nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for header, config in (
            (CSP.HEADER_ENFORCE, getattr(settings, "SECURE_CSP", {})),
            (CSP.HEADER_REPORT_ONLY, getattr(settings, "SECURE_CSP_REPORT_ONLY", {})),
        ):
            if config and header not in response:
                response.headers[str(header)] = build_policy(config)
        return response
