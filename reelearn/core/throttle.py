"""Lock-out after repeated failures (sign-in, join codes), shared by every process through the DB.

`check()` before attempting, `fail()` after a failure, `reset()` after a success. The counter is
updated with a single conditional UPDATE so parallel failures are all counted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Throttle


@dataclass(frozen=True)
class Limit:
    scope: str
    max_failures: int
    lockout_seconds: int
    window_seconds: int = 3600


def sign_in_limit() -> Limit:
    """Per sign-in name: a handful of failures locks that name for a while."""
    return Limit("sign-in", settings.SIGN_IN_MAX_FAILURES, settings.SIGN_IN_LOCKOUT_SECONDS)


def sign_in_address_limit() -> Limit:
    """Per client address: generous, because a whole class often shares one school address."""
    return Limit("sign-in-ip", settings.SIGN_IN_MAX_FAILURES * 10, settings.SIGN_IN_LOCKOUT_SECONDS)


def sign_in_locked_until(username: str, address: str):
    return max(
        filter(
            None,
            [
                locked_until(sign_in_limit(), f"user:{username}"),
                locked_until(sign_in_address_limit(), f"ip:{address}"),
            ],
        ),
        default=None,
    )


def sign_in_failed(username: str, address: str) -> None:
    fail(sign_in_limit(), f"user:{username}")
    fail(sign_in_address_limit(), f"ip:{address}")


def sign_in_succeeded(username: str) -> None:
    reset(sign_in_limit(), f"user:{username}")


def _hash(limit: Limit, key: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{limit.scope}:{key.lower()}".encode()).hexdigest()


def locked_until(limit: Limit, *keys: str):
    """The latest lock-out end among `keys`, or None when none of them is locked."""
    now = timezone.now()
    ends = Throttle.objects.filter(
        scope=limit.scope, key_hash__in=[_hash(limit, k) for k in keys if k], locked_until__gt=now
    ).values_list("locked_until", flat=True)
    return max(ends, default=None)


def fail(limit: Limit, *keys: str) -> None:
    now = timezone.now()
    for key in filter(None, keys):
        key_hash = _hash(limit, key)
        window_start = now - timedelta(seconds=limit.window_seconds)
        # Start a fresh window for stale rows, then count this failure atomically.
        Throttle.objects.filter(
            scope=limit.scope, key_hash=key_hash, window_started__lt=window_start
        ).update(failures=0, window_started=now, locked_until=None)
        updated = Throttle.objects.filter(scope=limit.scope, key_hash=key_hash).update(
            failures=F("failures") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    Throttle.objects.create(
                        scope=limit.scope, key_hash=key_hash, failures=1, window_started=now
                    )
            except IntegrityError:  # created in parallel: count on the existing row
                Throttle.objects.filter(scope=limit.scope, key_hash=key_hash).update(
                    failures=F("failures") + 1
                )
        Throttle.objects.filter(
            scope=limit.scope, key_hash=key_hash, failures__gte=limit.max_failures
        ).update(
            locked_until=now + timedelta(seconds=limit.lockout_seconds),
            failures=0,
            window_started=now,
        )


def reset(limit: Limit, key: str) -> None:
    Throttle.objects.filter(scope=limit.scope, key_hash=_hash(limit, key)).delete()


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
