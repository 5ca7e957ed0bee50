"""The health check on persistent connections, Django's and the opt-in one
(reelearn.core.db.postgresql, DATABASE_QUIET_HEALTH_CHECK).

At the start of each request Django checks a kept connection before using it (SELECT 1). The
opt-in backend asks the server only when the socket has something to read, which is what a
session the server has ended looks like; a quiet, live connection is used at once.
"""

from __future__ import annotations

import select
import tempfile
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

from reelearn.core.db.postgresql.base import DatabaseWrapper as QuietWrapper

from .conftest import terminate_backend

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["django", "quiet"])
def wrapper(request):
    """A connection of its own to the test database, on Django's backend or the opt-in one."""
    cls = DjangoWrapper if request.param == "django" else QuietWrapper
    # Named "default" as the test database is (django.contrib.postgres looks its types up by
    # alias), but a connection apart from the one the site uses.
    kept = cls(
        {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True},
        alias=DEFAULT_DB_ALIAS,
    )
    yield kept
    kept.close()


def _wait_until_readable(wrapper, timeout: float = 5.0) -> None:
    poller = select.poll()
    poller.register(wrapper.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + timeout
    while not poller.poll(50):
        assert time.monotonic() < deadline, "the ended session never reached the socket"


def _query(wrapper) -> str:
    """Run a request's query on `wrapper`; what the client sent (libpq's protocol trace)."""
    wrapper.ensure_connection()
    with tempfile.TemporaryFile() as trace:
        wrapper.connection.pgconn.trace(trace.fileno())
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT 'the request''s query'")
                assert cursor.fetchone() == ("the request's query",)
        finally:
            if not wrapper.connection.closed:
                wrapper.connection.pgconn.untrace()
        trace.seek(0)
        # What the client sent ("F" lines), not the server's answers ("B": "SELECT 1" is also
        # the tag of a one-row result).
        return "\n".join(
            line for line in trace.read().decode(errors="replace").splitlines() if "\tF\t" in line
        )


def test_a_session_the_server_ended_is_replaced_before_the_next_request_uses_it(wrapper):
    wrapper.ensure_connection()
    ended = wrapper.connection.info.backend_pid
    terminate_backend(ended)  # as a database restart or failover would
    _wait_until_readable(wrapper)
    wrapper.close_if_unusable_or_obsolete()  # what request_started does: a check is due
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert wrapper.connection.info.backend_pid != ended


def test_a_quiet_live_connection_is_checked_by_django_and_used_at_once_by_the_opt_in(wrapper):
    _query(wrapper)  # a connection, kept between requests
    kept = wrapper.connection.info.backend_pid
    wrapper.close_if_unusable_or_obsolete()  # a new request: the connection is due a check
    sent = _query(wrapper)
    assert "the request''s query" in sent  # the trace saw the request's own query…
    if isinstance(wrapper, QuietWrapper):
        assert '"SELECT 1"' not in sent  # …and no check before it
    else:
        assert '"SELECT 1"' in sent  # Django's round trip, which the opt-in saves
    assert wrapper.connection.info.backend_pid == kept


def test_the_sites_own_connection_survives_a_restart_between_requests(client):
    assert client.get("/healthz").status_code == 200
    ended = connection.connection.info.backend_pid
    terminate_backend(ended)
    close_old_connections()  # what request_started does (the test client leaves it out)
    assert client.get("/accounts/sign-in/").status_code == 200
    assert client.get("/healthz").json()["database"] == "ok"
    assert connection.connection.info.backend_pid != ended
