"""Writes to the organisation tree."""

from __future__ import annotations

from django.db import transaction

from .models import BusinessNode, Organisation, Segment


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    segment: Segment | None = None,
    nodes: list[BusinessNode] | tuple[BusinessNode, ...] = (),
    **fields,
) -> Organisation:
    """Add an organisation below `parent` (or as a root), refusing a tree that breaks
    the levels: a group only in a branch, a branch only below a (general) committee."""
    Organisation.validate_parent(kind, parent)
    values = {"name": name, "kind": kind, "segment": segment, **fields}
    if parent is None:
        organisation = Organisation.objects.add_root(values)
    else:
        organisation = Organisation.objects.add_child(parent, values)
    if nodes:
        organisation.nodes.set(nodes)
    return organisation
