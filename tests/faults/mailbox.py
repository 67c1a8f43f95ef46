"""An e-mail backend for processes a test starts (Celery workers): each message sent is
one JSON line appended to the file named by FAULTS_MAILBOX, so the test counts what every
process sent. One write per line with O_APPEND: lines of concurrent senders never mix."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class JsonLinesEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        path = os.environ["FAULTS_MAILBOX"]
        for message in email_messages:
            line = json.dumps(
                {
                    "to": list(message.to),
                    "subject": message.subject,
                    "body": message.body,
                    "pid": os.getpid(),
                },
                ensure_ascii=False,
            )
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (line + "\n").encode())
            finally:
                os.close(fd)
        return len(email_messages)


def read_mailbox(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
