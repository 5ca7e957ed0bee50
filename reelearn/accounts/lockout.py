"""Lock-out that locks out only the guesser, on django-axes.

Failures count per (account, client address): AXES_LOCKOUT_PARAMETERS is
[["username", "ip_address"]], so a class's typos from one school address never lock out the
teacher, and a right password from another address is never refused for someone else's
failures. The callables below are named in settings (AXES_*):

- `username`: the account a failure counts against — the sign-in name, lower-cased; an email
  and the username of a teacher (the same string) count together.
- `failure_limit`: failures before a lock (REELEARN_SIGN_IN_MAX_FAILURES; join codes have
  their own, REELEARN_JOIN_MAX_FAILURES).
- `cool_off`: the lock's length — one minute for a pair's first lock in a day, doubling with
  each further lock, at most REELEARN_SIGN_IN_MAX_LOCK_SECONDS.
- `lockout_response`: what a locked-out person reads (the sign-in page with a message that says
  what to do; JSON for the API).

An address that fails against many accounts (REELEARN_SPRAY_ACCOUNTS in ten minutes) is
slowed: each further *wrong* password waits REELEARN_SPRAY_DELAY_SECONDS before its answer. A
right one is never held up or refused.

Join-code guessing uses the same records: a wrong code is a failure of the pseudo-account
"join-code" from that address.
"""

from __future__ import annotations

import time
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

JOIN_CODE = "join-code"


def _name(credentials) -> str:
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email") or credentials.get("login")
    return (value or "").strip().lower()[:255]


def username(request, credentials) -> str:
    name = _name(credentials)
    if not name and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        name = _name(data)
    if request is not None:
        request.lockout_username = name
    return name


def failure_limit(request, credentials) -> int:
    if _name(credentials) == JOIN_CODE:
        return settings.REELEARN_JOIN_MAX_FAILURES
    return settings.SIGN_IN_MAX_FAILURES


def _earlier_locks(name: str, address: str) -> int:
    since = timezone.now() - timedelta(hours=24)
    return AccessFailureLog.objects.filter(
        username=name, ip_address=address, locked_out=True, attempt_time__gte=since
    ).count()


def cool_off(request) -> timedelta:
    """One minute for the first lock of a pair in 24 hours, then 2, 4, 8 … up to the cap."""
    name = getattr(request, "lockout_username", "")
    address = getattr(request, "axes_ip_address", "")
    locks = _earlier_locks(name, address) if name and address else 0
    first = settings.SIGN_IN_LOCKOUT_SECONDS
    seconds = min(first * 2 ** max(locks - 1, 0), settings.SIGN_IN_MAX_LOCK_SECONDS)
    return timedelta(seconds=seconds)


def locked_minutes(request) -> int:
    return max(1, round(cool_off(request).total_seconds() / 60))


def lockout_response(request, original_response, credentials):
    minutes = locked_minutes(request)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "code": "locked",
                "detail": _("Too many failed sign-ins; try again in %(minutes)s minutes.")
                % {"minutes": minutes},
            },
            status=429,
        )
    else:
        from .forms import SignInForm

        form = SignInForm(data=request.POST, request=request)
        form.errors  # noqa: B018 — bound, so the page shows what was typed
        message = locked_message(minutes)
        response = render(
            request,
            "account/login.html",
            {"form": form, "locked_message": message, "redirect_field_value": ""},
            status=429,
        )
    response["Retry-After"] = str(minutes * 60)
    return response


def locked_message(minutes: int) -> str:
    return _(
        "Too many wrong passwords for this account. Wait %(minutes)s minutes and try again, or "
        "ask your teacher to unlock your account (pupils) or reset your password (adults)."
    ) % {"minutes": minutes}


# --- An address failing against many accounts ------------------------------------------------


def spraying(address: str) -> bool:
    if not address:
        return False
    since = timezone.now() - timedelta(minutes=10)
    names = (
        AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since)
        .exclude(username=JOIN_CODE)
        .values("username")
        .distinct()
    )
    return names[: settings.REELEARN_SPRAY_ACCOUNTS].count() >= settings.REELEARN_SPRAY_ACCOUNTS


@receiver(user_login_failed, dispatch_uid="reelearn.accounts.lockout.slow_sprayers")
def slow_sprayers(sender, credentials=None, request=None, **kwargs):
    """Runs after axes recorded the failure: a wrong password from a spraying address waits."""
    if request is None or _name(credentials) == JOIN_CODE:
        return
    address = getattr(request, "axes_ip_address", "")
    if spraying(address):
        request.lockout_slowed = True
        time.sleep(settings.REELEARN_SPRAY_DELAY_SECONDS)


def slowed_headers(request, response):
    """Mark a slowed answer (Retry-After) so a client can tell it was held back."""
    if getattr(request, "lockout_slowed", False):
        response["Retry-After"] = str(max(1, round(settings.REELEARN_SPRAY_DELAY_SECONDS)))
    return response


# --- Join codes and teachers ----------------------------------------------------------------


def join_code_locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": JOIN_CODE})


def join_code_failed(request) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": JOIN_CODE}, request=request)
    request.axes_locked_out = False  # the join page answers for itself, not axes' middleware


def unlock(*, username: str) -> int:
    """A teacher unlocks a pupil: every lock on that account, from every address."""
    return reset(username=username.lower())


def is_locked_out(*, username: str) -> bool:
    threshold = timezone.now() - timedelta(seconds=settings.SIGN_IN_MAX_LOCK_SECONDS)
    return AccessAttempt.objects.filter(
        username=username.lower(),
        failures_since_start__gte=settings.SIGN_IN_MAX_FAILURES,
        attempt_time__gte=threshold,
    ).exists()


def prune(*, hours: int = 24) -> int:
    """Failure records older than `hours` go (a periodic task)."""
    before = timezone.now() - timedelta(hours=hours)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=before).delete()
    logs, _ = AccessFailureLog.objects.filter(attempt_time__lt=before).delete()
    return attempts + logs
