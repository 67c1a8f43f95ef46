"""Record every file handed out (any response carrying a file name:
attachments and files shown inline alike) in `Download`.

A middleware rather than a call in each export view, so a new ledger or attachment
view is audited without anyone remembering to: whatever a logged-in user downloads
leaves a row. Failed responses and anonymous requests are not recorded.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_plus

from .models import Download

_FILENAME = re.compile(r"""filename\*=UTF-8''(?P<star>[^;]+)|filename="?(?P<plain>[^";]+)"?""")


def _filename(disposition: str) -> str:
    match = _FILENAME.search(disposition)
    if not match:
        return ""
    return unquote(match["star"]) if match["star"] else match["plain"]


class DownloadAuditMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        user = getattr(request, "user", None)
        if (
            disposition
            and response.status_code == 200
            and user is not None
            and user.is_authenticated
        ):
            size = None if response.streaming else len(response.content)
            Download.objects.create(
                user=user,
                username=user.get_username(),
                path=request.path[:300],
                query=unquote_plus(request.GET.urlencode())[:1000],
                filename=_filename(disposition)[:255],
                content_type=response.get("Content-Type", "")[:120],
                size=size,
                ip=request.META.get("REMOTE_ADDR") or None,
            )
        return response
