"""Periodic work for accounts."""

from celery import shared_task

from . import lockout


@shared_task(name="accounts.prune_sign_in_failures", ignore_result=True)
def prune_sign_in_failures() -> int:
    """Failed sign-in and join-code records older than a day go (CELERY_BEAT_SCHEDULE)."""
    return lockout.prune(hours=24)
