"""Two-factor authentication (django-allauth's MFA app, TOTP): offered to every adult,
required of editors and school admins when REELEARN_REQUIRE_STAFF_2FA is on.

Who must have it is a list of rules; apps above this one add theirs (the schools app adds
"is a school admin") through `require_for`, so this module never names them.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

_RULES: list[Callable] = [lambda user: user.is_staff or user.is_superuser or user.is_editor]


def require_for(rule: Callable) -> None:
    """Add a rule `rule(user) -> bool` naming more people who must use a second factor."""
    if rule not in _RULES:  # ready() may run twice in tests
        _RULES.append(rule)


def second_factor_required(user) -> bool:
    return bool(
        settings.REELEARN_REQUIRE_STAFF_2FA
        and user.is_authenticated
        and not user.is_pupil
        and any(rule(user) for rule in _RULES)
    )


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP])


def code_is_right(user, code: str) -> bool:
    """A current TOTP code of `user`'s authenticator, not used before (allauth's check)."""
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return bool(authenticator and code and TOTP(authenticator).validate_code(code.strip()))


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Someone who must use a second factor cannot switch theirs off."""
        return not second_factor_required(authenticator.user)


# Where someone who must set up a second factor may still go before they have.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/media/", "/favicon")


class RequireSecondFactorMiddleware:
    """Sends an editor or school admin without a second factor to set one up first: until
    then the Wagtail admin, /django-admin/ and everything else answer with that page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and second_factor_required(user)
            and not has_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "detail": _("Set up two-factor authentication first."),
                    },
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
