"""Real faults, no mocks: a PostgreSQL backend killed mid-request, a broker nobody listens on."""

from __future__ import annotations

import time
from contextlib import contextmanager

import psycopg
import pytest
from django.core.cache import cache
from django.db import close_old_connections, connection

from reelearn.celery import app as celery_app

from ..factories import make_curriculum
from ..quizzes.factories import assign, make_class, make_quiz


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _admin_connection() -> psycopg.Connection:
    """A second connection to the same (test) database, as an operator's psql would be."""
    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )


def terminate_backend(pid: int, timeout: float = 10.0) -> None:
    """pg_terminate_backend(pid) and wait until the server has really dropped it."""
    with _admin_connection() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        deadline = time.monotonic() + timeout
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, f"backend {pid} is still alive"
            time.sleep(0.02)


@contextmanager
def database_drops_before(statement: str):
    """While inside, the first SQL statement starting with `statement` finds its connection
    gone: the server end is terminated from another connection just before it is sent, exactly
    as a database restart or failover would do it in the middle of a request. Yields the list
    of statements it cut (empty if the request never got that far)."""
    cut: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if not cut and sql.lstrip().upper().startswith(statement.upper()):
            cut.append(sql)
            terminate_backend(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield cut
    # What Django's request_finished handler does after every request (the test client leaves
    # it out): a connection that failed is closed, and the next request opens a fresh one.
    close_old_connections()


@pytest.fixture
def quiz_setup(teacher, pupil, other_pupil):
    """A module-tier quiz (single choice, short text, open) assigned to the pupil's class."""
    curriculum = make_curriculum(tiers=("t1",), lessons_per_tier=1)
    page = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(page, kinds=["single", "short_text", "open"])
    classroom = make_class(teacher, [pupil, other_pupil])
    assignment = assign(classroom, page, [pupil, other_pupil])
    return {
        "curriculum": curriculum,
        "quiz": quiz,
        "classroom": classroom,
        "assignment": assignment,
        "lesson": curriculum["lessons"]["t1"][0],
    }


def _drop_broker_pools() -> None:
    """Forget pooled broker connections and producers, so the next message opens a connection
    to whatever the configuration says now. (Celery keeps both for the life of the process and
    has no public reset; `Celery.close()` leaves the producer pool in place. The pools stay
    open in kombu's registry, which hands them back when the URL is the same again.)"""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class BrokerOutage:
    """Celery really tries to reach a broker on a port where nothing listens (as when Redis is
    down), and tasks are sent through it instead of running eagerly: what the web process does
    in production when Redis is gone. Celery reads CELERY_BROKER_URL from the environment before
    its configuration, so both are pointed at the dead port."""

    DEAD = "redis://127.0.0.1:1/0"
    KEYS = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.saved = {key: celery_app.conf.get(key) for key in self.KEYS}
        self.down = False

    def start(self) -> None:
        self.monkeypatch.setenv("CELERY_BROKER_URL", self.DEAD)
        celery_app.conf.update(
            broker_url=self.DEAD,
            broker_write_url=self.DEAD,
            broker_read_url=self.DEAD,
            task_always_eager=False,
        )
        _drop_broker_pools()
        self.down = True
        assert celery_app.conf.broker_write_url == self.DEAD

    def end(self) -> None:
        """The broker is back (in the tests' eager mode: this process is the worker)."""
        if self.down:
            self.monkeypatch.undo()
            celery_app.conf.update(self.saved)
            _drop_broker_pools()
            self.down = False


@pytest.fixture
def broker_down(monkeypatch):
    outage = BrokerOutage(monkeypatch)
    outage.start()
    yield outage
    outage.end()
