"""One curriculum per test session (per xdist worker), shared by every test that asks for it.

Building and publishing a Wagtail page tree is the most expensive set-up in the suite, and
hundreds of tests ask for the same one. So the `curriculum` fixture's tree is built once, inside
an outer transaction that is open while the tests that use it run:

    outer transaction (this module): the curriculum
      └ each test's own transaction (pytest-django's `db`): rolled back after the test

Tests that do not ask for the curriculum must not see it, so the outer transaction is rolled
back before any of them starts, and opened again (the tree rebuilt) for the next test that asks.
tests/conftest.py sorts the tests so that all of those that ask for it run together, which
makes that one build per session. Transactional tests (live_server, real Celery workers) commit
and flush; they never run inside the outer transaction and build their own curriculum.

Each test gets the tree read afresh from the database, so nothing a test does to the Python
objects (or to the rows, rolled back with its transaction) reaches the next one; and the cache
is cleared, since the pages keep the same ids from one test to the next.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from .factories import make_curriculum

FIXTURE = "curriculum"
TRANSACTIONAL = {"transactional_db", "live_server"}
WANTS = pytest.StashKey[bool]()


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs the test as a TransactionTestCase (same rule as its own)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        kwargs = {
            **dict(zip(("transaction", "reset_sequences"), marker.args, strict=False)),
            **marker.kwargs,
        }
        if kwargs.get("transaction") or kwargs.get("reset_sequences"):
            return True
    return bool(TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def wants_shared(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return FIXTURE in names and not is_transactional(item)


class SharedCurriculum:
    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.tree: dict | None = None
        self.builds = 0

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self) -> None:
        if self.atomic is not None:
            return
        with self.blocker.unblock():
            if connection.in_atomic_block:  # cannot nest it under someone else's transaction
                return
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                self.tree = make_curriculum()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
            self.atomic = atomic
            self.builds += 1

    def close(self) -> None:
        if self.atomic is None:
            return
        atomic, self.atomic, self.tree = self.atomic, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def fresh(self) -> dict:
        """The tree as new instances read from the database, as make_curriculum returns it."""
        tree = self.tree

        def reread(obj):
            return type(obj).objects.get(pk=obj.pk)

        return {
            "home": reread(tree["home"]),
            "index": reread(tree["index"]),
            "module": reread(tree["module"]),
            "tier_pages": {tier: reread(page) for tier, page in tree["tier_pages"].items()},
            "lessons": {
                tier: [reread(page) for page in pages] for tier, pages in tree["lessons"].items()
            },
            "sources": [reread(source) for source in tree["sources"]],
            "terms": [reread(term) for term in tree["terms"]],
        }
