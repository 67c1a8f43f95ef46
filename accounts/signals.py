import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import LAST_SEEN


@receiver(user_logged_in)
def stamp_login(sender, request, user, **kwargs) -> None:
    """A fresh login starts the idle clock (so the first page does not save the session)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
