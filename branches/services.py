"""Writes to the organisation tree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
    if parent is not None:
        # Sorted insertion renumbers siblings' paths, so the caller's copy may be stale.
        parent = Organisation.objects.get(pk=parent.pk)
    siblings = (
        Organisation.objects.get_children(parent) if parent
        else Organisation.objects.get_root_nodes()
    )
    if siblings.filter(name=name).exists():
        raise ValidationError(
            _("%(parent)s already has an organisation named %(name)s.")
            % {"parent": parent or _("The top level"), "name": name}
        )
    values = {"name": name, "kind": kind, "segment": segment, **fields}
    if parent is None:
        organisation = Organisation.objects.add_root(values)
    else:
        organisation = Organisation.objects.add_child(parent, values)
    if nodes:
        organisation.nodes.set(nodes)
    return organisation
