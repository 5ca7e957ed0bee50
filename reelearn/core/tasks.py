"""Queueing helpers shared by the apps."""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError as BrokerError

from .cdn import cdn_purge

logger = logging.getLogger(__name__)


def _send(task, args, kwargs) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BrokerError:
        # The work is recorded in our own tables; the periodic sweeps queue it again once the
        # broker is back. The user's request must not fail because the broker is down.
        logger.warning("broker unavailable; %s will be queued by the sweep", task.name)


def delay_on_commit_safely(task, *args, **kwargs) -> None:
    """Like `task.delay_on_commit(...)`, but a broker outage is logged instead of raised."""
    transaction.on_commit(partial(_send, task, args, kwargs))


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5, ignore_result=True)
def cdn_purge_task(
    page_ids: list[int] | None = None,
    moves: list[list] | None = None,
    urls: list[str] | None = None,
) -> int:
    """Purge changed pages from the CDN (reelearn.core.cdn.cdn_purge_urls says what each
    argument takes in). A second run purges the same URLs again, which changes nothing."""
    return cdn_purge(
        page_ids=page_ids or (),
        moves=[(pk, before) for pk, before in moves or ()],
        urls=urls or (),
    )
