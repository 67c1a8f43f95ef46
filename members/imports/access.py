"""Who imports a roster, into which branches, and who reads the record of an import;
on top of `members.access` (the one access layer)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from branches.models import Organisation

from ..access import Scope, scope_for
from ..models import RosterImport

# Leading one of these covers branches; leading a party group does not.
_COVERING_BRANCHES = (
    Organisation.Kind.COMMITTEE,
    Organisation.Kind.GENERAL_BRANCH,
    Organisation.Kind.BRANCH,
)


def may_import(scope: Scope) -> bool:
    """Whether the user leads a branch (any post on its committee), a general branch or
    the committee: they import into the branches in their subtree. No query."""
    return scope.sees_all or any(org.kind in _COVERING_BRANCHES for org in scope.led)


def importable_branches(scope: Scope) -> QuerySet[Organisation]:
    return scope.organisations().branches().active().order_by("path")


def require_import(request: HttpRequest) -> Scope:
    """The user's scope; 403 for those who lead no branch (as the people register)."""
    scope = scope_for(request.user)
    if not may_import(scope):
        raise PermissionDenied
    return scope


def get_import_or_404(request: HttpRequest, pk: int, *, own: bool) -> RosterImport:
    """An import the user uploaded (`own`: to preview, confirm or discard it), or, for
    reading its record, one made for an organisation in their scope."""
    imports = RosterImport.objects.select_related("uploaded_by", "organisation")
    if own:
        imports = imports.filter(uploaded_by=request.user)
    else:
        imports = imports.visible_to(scope_for(request.user), request.user)
    try:
        return imports.get(pk=pk)
    except RosterImport.DoesNotExist:
        raise Http404 from None
