"""Health check of the web container (docker-compose.yml): GET /healthz on gunicorn.

Sends the Host header of the first DJANGO_ALLOWED_HOSTS entry, so Django accepts the request,
and X-Forwarded-Proto: https as the reverse proxy would. Exit 0 when the portal answers "ok".
"""

import os
import sys
import urllib.request

hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts else "localhost"
if host == "*":
    host = "localhost"
request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed URL
        ok = response.status == 200 and response.read().strip() == b"ok"
except OSError as exc:
    print(f"healthz: {exc}", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
