from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed logins for one username, and until when it is locked.

    Keyed by the username typed (lower-cased), whether or not such a login exists, so
    the lock does not tell a guesser which usernames are real. Kept in the database,
    not the cache: the lock must hold when Redis is down and across processes.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    first_failure_at = models.DateTimeField(_("first failure at"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    last_ip = models.GenericIPAddressField(_("last address"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login lock")
        verbose_name_plural = _("login locks")
        ordering = ["-last_failure_at"]

    def __str__(self) -> str:
        return self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()
