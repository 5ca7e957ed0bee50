"""Celery tasks for packs: small, take ids, idempotent; the work is in services."""

from __future__ import annotations

import logging
import random

import weasyprint  # noqa: F401 - imported before the worker forks, so children inherit it
from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


def _backoff(retries: int) -> int:
    base = settings.PACKS_RETRY_BACKOFF_SECONDS * (2**retries)
    return min(600, base) + random.randint(0, settings.PACKS_RETRY_BACKOFF_SECONDS)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def pack_build_task(self, pack_id: int) -> None:
    """Build one pack. A second delivery (or a run after success) finds nothing to claim and
    does nothing. Transient errors put the pack back in the queue and retry with backoff;
    after PACKS_MAX_ATTEMPTS claims the pack is FAILED with the error."""
    pack = services.pack_claim(pack_id=pack_id)
    if pack is None:
        return
    try:
        services.pack_build(pack=pack)
    except Exception as exc:
        if not services.is_transient(exc):
            logger.exception("pack %s: build error", pack_id)
            services.pack_fail(pack=pack, error=f"{type(exc).__name__}: {exc}")
            return
        error = f"{type(exc).__name__}: {exc}"
        if pack.attempts >= settings.PACKS_MAX_ATTEMPTS:
            services.pack_fail(pack=pack, error=error)
            return
        services.pack_release(pack=pack, error=error)
        raise self.retry(
            exc=exc, countdown=_backoff(pack.attempts - 1), max_retries=settings.PACKS_MAX_ATTEMPTS
        ) from exc


@shared_task(acks_late=True, ignore_result=True)
def packs_refresh_task(page_ids: list[int] | None = None, student_packs: bool = False) -> int:
    """After a publish: queue rebuilds of the packs that use these pages (all packs when None)
    and, with `student_packs`, the student pack of each module-tier holding them, made or not.
    Running it again finds the packs it queued and queues nothing more."""
    queued = {pack.pk for pack in services.packs_refresh(page_ids=page_ids)}
    if student_packs and page_ids:
        queued |= {pack.pk for pack in services.student_packs_prepare(page_ids=page_ids)}
    return len(queued)


@shared_task(acks_late=True, ignore_result=True)
def packs_requeue_stuck_task() -> dict[str, int]:
    """Periodic sweep (CELERY_BEAT_SCHEDULE): re-queue packs stranded by a dead worker. Each
    pack is moved by a conditional update, so overlapping sweeps act once."""
    return services.packs_requeue_stuck()
