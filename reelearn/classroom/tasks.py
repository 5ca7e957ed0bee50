from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import classes_archive_stale

# Classes archived per daily run: each moves its pupils' work in its own transaction (about a
# tenth of a second for a class of 30 with a year of work, bench/README.md), so a first run
# over years of classes stays well inside the task's time limit; the rest follow the next day.
DAILY_LIMIT = 200


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def classes_archive_stale_task() -> int:
    """Archive classes inactive for REELEARN_CLASS_RETENTION_MONTHS (daily, from beat),
    moving their work out of the hot tables.

    A second run archives nothing more: archived classes are no longer candidates.
    """
    return classes_archive_stale(limit=DAILY_LIMIT)
