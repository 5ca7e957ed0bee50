"""The health check on persistent connections (reelearn.core.db.postgresql).

At the start of each request Django checks a kept connection before using it. Ours asks the
server (SELECT 1) only when the socket has something to read, which is what a session the
server has ended looks like; a quiet, live connection is used at once.
"""

from __future__ import annotations

import select
import tempfile
import time

import pytest
from django.db import close_old_connections, connection

from reelearn.accounts.models import User

from .conftest import terminate_backend

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_until_readable(timeout: float = 5.0) -> None:
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + timeout
    while not poller.poll(50):
        assert time.monotonic() < deadline, "the ended session never reached the socket"


def test_a_session_the_server_ended_is_replaced_before_the_next_request_uses_it(client):
    assert client.get("/healthz").status_code == 200
    ended = connection.connection.info.backend_pid
    terminate_backend(ended)  # as a database restart or failover would
    _wait_until_readable()
    close_old_connections()  # what request_started does (the test client leaves it out)
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    assert client.get("/healthz").json()["database"] == "ok"
    assert connection.connection.info.backend_pid != ended


def test_a_quiet_live_connection_is_used_without_a_round_trip_first():
    User.objects.exists()  # a connection, kept between requests
    kept = connection.connection.info.backend_pid
    close_old_connections()  # a new request: the connection is due a health check
    with tempfile.TemporaryFile() as trace:
        connection.connection.pgconn.trace(trace.fileno())  # libpq's protocol trace
        try:
            list(User.objects.filter(username="nobody").values_list("pk", flat=True))
        finally:
            connection.connection.pgconn.untrace()
        trace.seek(0)
        sent = trace.read().decode(errors="replace")
    assert '"accounts_user"' in sent  # the trace saw the request's own query…
    assert '"SELECT 1"' not in sent  # …and no check before it
    assert connection.connection.info.backend_pid == kept
