"""The sign-in and sign-up forms: django-allauth's, with REElearn's fields and words."""

from __future__ import annotations

from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from reelearn.core.text import validate_name


class SignInForm(LoginForm):
    """One form for everyone: pupils type the username on their login card, adults their
    email (or username). The lock-out is django-axes' (reelearn.accounts.lockout)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or email")
        login.widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        login.widget.attrs.pop("autofocus", None)
        login.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)


class TeacherSignUpForm(SignupForm):
    """A teacher's account. It reads nothing teacher-only until their school verifies them."""

    display_name = forms.CharField(
        label=_("Your name as pupils see it"),
        max_length=80,
        validators=[validate_name],
        help_text=_("For example “Ms Rivera”."),
    )
    school_name = forms.CharField(
        label=_("School"),
        max_length=150,
        validators=[validate_name],
        help_text=_("Your school confirms you before you see answer keys and teacher guides."),
    )

    field_order = ["display_name", "email", "school_name", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _("You sign in with this. Pupils never need one.")
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = _("At least 10 characters, not a common password.")
        self.fields["password2"].label = _("Password again")
        for name in ("email", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)
