from celery import shared_task
from django.db import OperationalError

from .attempts import attempts_close_expired


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def attempts_close_expired_task() -> int:
    """Close abandoned attempts whose time limit has passed, with their saved answers.

    Each attempt is claimed under a row lock and closed only if still open, so a second run
    (or one racing a pupil's own submit) closes nothing twice. Bounded batch per run.
    """
    return attempts_close_expired()
