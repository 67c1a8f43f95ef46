from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import scope_for


def scope(request: HttpRequest) -> dict:
    """The user's scope for the navigation; computed only if a template asks."""
    return {"scope": SimpleLazyObject(lambda: scope_for(request.user))}
