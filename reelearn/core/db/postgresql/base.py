"""Django's PostgreSQL backend, with a health check that needs no round trip on a quiet socket.

With CONN_HEALTH_CHECKS, Django sends ``SELECT 1`` on a persistent connection at the start of
every request before using it. A server that has ended the session (a restart, a failover, an
idle timeout, pg_terminate_backend) has sent its goodbye or closed the socket, which makes the
socket readable; a live idle session sends nothing. So only a readable socket needs the real
check, and a quiet one is used at once. A connection that died silently (a network cut with no
reset) passes either way: Django's check would wait for the network too.

Opt-in (DATABASE_QUIET_HEALTH_CHECK=true, reelearn/settings/base.py): it overrides Django's
undocumented ``close_if_health_check_failed``, which tests/core/test_db_backend.py guards. It
beat Django's built-in connection pool on the benches (bench/README.md, 2026-12-06).
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._socket_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_quiet(self) -> bool:
        """Idle, and nothing from the server waiting to be read (False if unsure)."""
        connection = self.connection
        if connection.closed or connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (AttributeError, OSError, ValueError):  # no poll() here, or no socket
            return False
