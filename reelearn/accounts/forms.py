from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reelearn.core import throttle


class SignInForm(AuthenticationForm):
    """Django's sign-in form with a shared lock-out after repeated failures.

    Both the username and the client address are counted, so a class sharing one school address
    is not locked out by a single pupil's typos before the per-name limit bites.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match. Check your login card, or ask your "
            "teacher to reset your password."
        ),
        "locked": _(
            "Too many failed sign-ins. For your safety, signing in is paused for %(minutes)s "
            "minutes. Ask your teacher if you have forgotten your password."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = throttle.client_address(self.request) if self.request else ""
        limit = throttle.sign_in_limit()
        until = throttle.locked_until(limit, f"user:{username}", f"ip:{address}")
        if until:
            minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.fail(limit, f"user:{username}", f"ip:{address}")
            raise
        throttle.reset(limit, f"user:{username}")
        return cleaned
