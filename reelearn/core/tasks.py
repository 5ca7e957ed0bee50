"""Queueing helpers shared by the apps."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

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
