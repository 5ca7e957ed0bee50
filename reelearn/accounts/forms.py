from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reelearn.core import throttle
from reelearn.core.text import validate_name


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
        until = throttle.sign_in_locked_until(username, address)
        if until:
            minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.sign_in_failed(username, address)
            raise
        throttle.sign_in_succeeded(username)
        return cleaned


class TeacherSignUpForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name as pupils see it"),
        max_length=80,
        validators=[validate_name],
        help_text=_("For example “Ms Rivera”."),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=150,
        help_text=_("You sign in with this. Pupils never need one."),
    )
    school_name = forms.CharField(label=_("School"), max_length=150, validators=[validate_name])
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            from django.contrib.auth import get_user_model

            candidate = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                display_name=cleaned.get("display_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
