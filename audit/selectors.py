"""Reads for the audit pages: downloads, and changes from every `simple_history` table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models


def history_models() -> dict[str, type[models.Model]]:
    """label ("meetings.meeting") -> the historical model that records its changes."""
    found = {}
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        if instance_type is not None and hasattr(model, "history_date"):
            found[instance_type._meta.label_lower] = model
    return dict(
        sorted(found.items(), key=lambda item: str(item[1].instance_type._meta.verbose_name))
    )


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    kind: str  # +, ~, -
    model: str  # verbose name of the changed model
    label: str
    reason: str


def _changes(history, rows) -> list[Change]:
    verbose = str(history.instance_type._meta.verbose_name)
    return [
        Change(
            when=row.history_date,
            who=row.history_user.get_username() if row.history_user_id else "",
            kind=row.history_type,
            model=verbose,
            label=str(row),
            reason=row.history_change_reason or "",
        )
        for row in rows
    ]


def history_queryset(label: str, *, username: str = ""):
    history = history_models()[label]
    queryset = history.objects.select_related("history_user").order_by("-history_date")
    if username:
        queryset = queryset.filter(history_user__username=username)
    return queryset


def changes_of(label: str, rows) -> list[Change]:
    return _changes(history_models()[label], rows)


def latest_changes(*, limit: int, username: str = "") -> list[Change]:
    """The latest `limit` changes across every tracked model: one query per model."""
    merged: list[Change] = []
    for label in history_models():
        rows = history_queryset(label, username=username)[:limit]
        merged.extend(changes_of(label, rows))
    merged.sort(key=lambda change: change.when, reverse=True)
    return merged[:limit]
