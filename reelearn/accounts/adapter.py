"""django-allauth, fitted to REElearn: adults sign up as teachers, pupils sign in with cards.

Sign-up makes an unverified teacher (the schools app verifies them); a right password from a
pupil lands on their work, a teacher on their classes; client addresses come from the trusted
proxy hops (reelearn.core.clientip), as the lock-out counts them.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reelearn.core.clientip import client_address

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _(
            "That username and password do not match. Check your login card, or ask your "
            "teacher to reset your password."
        ),
        "email_password_mismatch": _(
            "That email address and password do not match. Adults can reset their password "
            "by email."
        ),
    }

    def get_client_ip(self, request) -> str:
        return client_address(request) or "0.0.0.0"  # noqa: S104 — a key, never bound

    def get_login_redirect_url(self, request) -> str:
        user = request.user
        if user.is_pupil:
            return reverse("classroom:my-work")
        if user.is_teacher:
            if not user.is_verified_teacher:
                return _verification_url()
            return reverse("classroom:class-list")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        return _verification_url()

    def get_password_change_redirect_url(self, request) -> str:
        return reverse("accounts:password-change-done")

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.role = User.Role.TEACHER
        user.display_name = (data.get("display_name") or "").strip()
        user.school_name = (data.get("school_name") or "").strip()
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        user.username = user.email  # a teacher signs in with either: the same string
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Google or Microsoft sign-in: an adult's account, a teacher until a school says more."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.role = User.Role.TEACHER
        user.email = (user.email or "").lower()
        user.username = user.email or user.username
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.display_name = (data.get("name") or name or "")[:80]
        return user

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("socialaccount_connections")


def _verification_url() -> str:
    """The page that tells a teacher where their verification stands (the schools app's)."""
    return reverse("schools:status")
