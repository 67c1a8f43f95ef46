"""Reads for transfers: what a user sees, and a branch's (or subtree's) ledger."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from branches.models import Organisation
from members.access import Scope

from .models import Transfer

OUTGOING, INCOMING = "outgoing", "incoming"


def visible_transfers(scope: Scope) -> QuerySet[Transfer]:
    """Transfers touching a branch in scope, and the user's own."""
    transfers = scope.within(Transfer.objects.all(), "from_branch__path", "to_branch__path")
    if scope.person is not None and not scope.sees_all:
        transfers = transfers | Transfer.objects.filter(person=scope.person)
    return transfers


def ledger(
    organisation: Organisation, *, direction: str = "", status: str = "", search: str = ""
) -> QuerySet[Transfer]:
    """The subtree's transfers, newest first, filtered as the list page and the export
    show them (one query with the people and branches joined)."""
    out = Q(from_branch__path__startswith=organisation.path)
    into = Q(to_branch__path__startswith=organisation.path)
    condition = {OUTGOING: out, INCOMING: into}.get(direction, out | into)
    transfers = Transfer.objects.filter(condition)
    if status in Transfer.Status.values:
        transfers = transfers.filter(status=status)
    if search:
        transfers = transfers.filter(
            Q(person__name__icontains=search)
            | Q(letter_no__icontains=search)
            | Q(outside_organisation__icontains=search)
        )
    return transfers.select_related("person", "from_branch", "to_branch").order_by(
        "-issued_on", "-pk"
    )
