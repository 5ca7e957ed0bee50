"""Fuzzing set-up: one world per module, no throttles, and every generated case isolated.

Isolation, outermost first:
- `fuzz_world` (module): an outer transaction holding the world, rolled back after the module.
- pytest-django's `db` (each test = one operation × one persona): a savepoint, rolled back.
- `isolated_case()` (each generated request): a savepoint rolled back after the response, and
  an empty cache. A DELETE or an erased class in one case is back for the next, a database
  error cannot poison the transaction for later cases, and Hypothesis replays (shrinking,
  the final reproduction) see the same state as the first run, so a failure is not flaky.

Requests go through the real WSGI application in this process and thread, so they run on the
test's database connection and see the uncommitted world.
"""

from __future__ import annotations

import traceback
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from rest_framework.throttling import SimpleRateThrottle

from .world import build_world

# Read by the generation hooks in test_api_fuzz.py while a test runs.
WORLD: dict = {}

NO_LIMIT = 10**9


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            WORLD.update(build_world())
            yield WORLD
        finally:
            WORLD.clear()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_throttles(monkeypatch):
    """DRF throttles off and the DB-backed lock-outs out of reach for the fuzz run.

    Each case also starts with an empty cache (DRF's throttle history) and rolls back its own
    lock-out rows, so this is belt and braces: no case can see another's failures.
    ScopedRateThrottle views (token, join) name their throttle class themselves and DRF copies
    the rates into a class attribute at import, so the rates are patched there too.
    """
    rates = dict.fromkeys(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rest_framework = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": [],
        "DEFAULT_THROTTLE_RATES": rates,
    }
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    with override_settings(
        REST_FRAMEWORK=rest_framework,
        SIGN_IN_MAX_FAILURES=NO_LIMIT,
        REELEARN_JOIN_MAX_FAILURES=NO_LIMIT,
    ):
        yield


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes "obsolete" connections at each request's start and end; in a test that
    would close the connection inside the test's transaction. Django's test client switches
    this off for its requests; the WSGI client schemathesis uses does not, so do it here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors():
    """Tracebacks of exceptions the application turned into 500s during the current case."""
    caught: list[str] = []

    def record(sender, request=None, **kwargs):
        caught.append(
            f"{request.method} {request.get_full_path()}\n{traceback.format_exc()}"
            if request is not None
            else traceback.format_exc()
        )

    got_request_exception.connect(record, weak=False)
    yield caught
    got_request_exception.disconnect(record)


@contextmanager
def isolated_case():
    cache.clear()
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
