"""No dead ends: every page a demo user reaches by following the portal's own links
(and the panels its pages load) opens, for every role.

A breadth-first walk from the home page of each demo login, GET only, over the demo
data: a link that answers 404 is a page that offers what the user may not open, and a
500 is a bug. It also catches pages that break on real data but not on the small
fixtures of the other tests.
"""

import re
from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
SKIP = ("/logout/", "/i18n/", "/static/", "/admin/")
PAGES_PER_USER = 120


def walk(client: Client, start: str = "/") -> tuple[int, list[tuple[str, str, int]]]:
    seen, queue, broken = {start}, deque([(start, "")]), []
    opened = 0
    while queue and opened < PAGES_PER_USER:
        url, came_from = queue.popleft()
        response = client.get(url, follow=True)
        opened += 1
        if response.status_code >= 400:
            broken.append((url, came_from, response.status_code))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append((link, url))
    return opened, broken


@pytest.mark.parametrize(
    "username", ["dangyuan", "qianduan", "zhongduan", "zongzhi", "dangwei", "admin"]
)
def test_every_link_a_demo_user_follows_opens(loaded, username):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    opened, broken = walk(client)
    assert opened > 20
    assert broken == [], "\n".join(
        f"{code} {url} (linked from {came})" for url, came, code in broken
    )
