"""Account workflows: teacher sign-up and a user's own change of password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reelearn.core import throttle
from reelearn.core.text import text_problem

from . import cards


class SignUpLocked(Exception):
    pass


def sign_up_limit() -> throttle.Limit:
    return throttle.Limit("sign-up", settings.REELEARN_SIGN_UPS_PER_HOUR, 3600, 3600)


def teacher_sign_up(
    *, email: str, password: str, display_name: str, school_name: str, address: str = ""
):
    """A teacher account whose username is the email address (so either signs in).

    Sign-ups per client address are limited (REELEARN_SIGN_UPS_PER_HOUR); the password has
    already passed Django's validators in the form.
    """
    limit = sign_up_limit()
    if address and throttle.locked_until(limit, f"ip:{address}"):
        raise SignUpLocked
    errors = {
        field: [problem]
        for field, value in (("display_name", display_name), ("school_name", school_name))
        if (problem := text_problem(value, name=True))
    }
    if errors:
        raise ValidationError(errors)
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise ValidationError(
            {"email": [_("There is already an account with this email. Sign in instead.")]}
        )
    try:
        with transaction.atomic():
            user = User(
                username=email,
                email=email,
                role=User.Role.TEACHER,
                display_name=display_name.strip(),
                school_name=school_name.strip(),
            )
            user.set_password(password)
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"email": [_("There is already an account with this email.")]}
        ) from None
    if address:
        throttle.fail(limit, f"ip:{address}")  # counts sign-ups, not failures
    return user


def password_changed(*, user) -> None:
    """After a user chooses their own password, the login card's copy is no longer kept."""
    cards.card_forget(user=user)
