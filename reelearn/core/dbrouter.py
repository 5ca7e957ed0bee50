"""Teacher reports read from a streaming replica; every write and every other read, the primary.

On only when REELEARN_REPLICA_DATABASE_URL is set: reelearn/settings/base.py then adds the
`replica` alias, this router and ReadYourWritesMiddleware. Nothing is guessed from the query: a
report view opts in with @replica_report (gradebook, quiz results, item analysis, exports, an
assignment's results), and its reads go to the replica, except

- for a reader who wrote anything in the last REELEARN_REPLICA_PRIMARY_SECONDS: a teacher who
  has just marked or regraded reads the primary, since the replica may be a moment behind
  (read-your-writes; the middleware notes adults' writes in the cache, which must be shared
  between web processes: REDIS_CACHE_URL);
- inside a transaction on the primary, where a read may decide a write.

Reads before the view runs (the session, the signed-in user, DRF's authentication) stay on the
primary, so sign-in state is never a replica's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_on_replica: ContextVar[bool] = ContextVar("reelearn_reads_on_replica", default=False)


def _cache_key(user) -> str:
    return f"primary-reads:{user.pk}"


def primary_for(user) -> None:
    """`user`'s reports come from the primary for the next REPLICA_PRIMARY_SECONDS."""
    if settings.REPLICA_PRIMARY_SECONDS:
        cache.set(_cache_key(user), 1, settings.REPLICA_PRIMARY_SECONDS)


@contextmanager
def replica_reads(user) -> Iterator[bool]:
    """Reads in the block go to the replica (yields True), unless no replica is configured or
    `user` wrote within the window (yields False: the primary)."""
    if REPLICA not in settings.DATABASES or (
        user.is_authenticated and cache.get(_cache_key(user)) is not None
    ):
        yield False
        return
    token = _on_replica.set(True)
    try:
        yield True
    finally:
        _on_replica.reset(token)


def replica_report(view):
    """A report view's reads, as `replica_reads(request.user)` decides. For a class-based
    view: method_decorator(replica_report, name="get"). A streamed body (a CSV export) is sent
    after the view has returned, so it must come from rows the view has read (tests/core/
    test_replica.py checks the primary serves only the session and the user)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with replica_reads(request.user):
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Also for an object read from the replica: Django would otherwise save it there.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both aliases

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None  # the replica follows the primary's schema


class ReadYourWritesMiddleware:
    """Notes each write request (POST, PUT, PATCH, DELETE) by an adult, so that their reports
    come from the primary for a while. Pupils read no reports, and their autosaves are the
    busiest path of all, so theirs are not noted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it here too, for token users
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and user.is_authenticated
            and not user.is_pupil
        ):
            primary_for(user)
        return response
