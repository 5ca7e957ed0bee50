from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import classes_archive_stale


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def classes_archive_stale_task() -> int:
    """Archive classes inactive for REELEARN_CLASS_RETENTION_MONTHS (daily, from beat).

    One conditional UPDATE: a second run archives nothing more.
    """
    return classes_archive_stale()
