from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .services import login_failed, login_locked_until, login_succeeded


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing a locked username before the password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts: this account is locked until %(until)s. "
            "Try again later or ask the committee's administrator to unlock it."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        until = login_locked_until(username=username)
        if until:
            raise self._locked(until)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.cleaned_data.get("password"):
                throttle = login_failed(username=username, ip=self._client_ip())
                if throttle.is_locked:
                    raise self._locked(throttle.locked_until) from None
            raise
        login_succeeded(username=username)
        return cleaned

    def _locked(self, until) -> forms.ValidationError:
        local = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"until": local}
        )

    def _client_ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") if self.request else None
