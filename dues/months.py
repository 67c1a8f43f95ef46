"""Months as the dates of their first days, and the little arithmetic on them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator


def month_of(day: datetime.date) -> datetime.date:
    """The month containing `day` (its first day)."""
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_from(start: datetime.date, stop: datetime.date) -> Iterator[datetime.date]:
    """The months from `start` up to, not including, `stop`."""
    month = month_of(start)
    while month < stop:
        yield month
        month = add_months(month, 1)


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """'2026-05' -> 2026-05-01; anything unreadable gives `default`."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return default


def month_key(month: datetime.date) -> str:
    return f"{month:%Y-%m}"
