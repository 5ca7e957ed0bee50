"""PgBouncer in transaction mode between Django and PostgreSQL, as docker/compose.yaml runs it.

A real PgBouncer (Debian's package) on a free port pools into the test database with two server
sessions handed out in turn (server_round_robin), so consecutive transactions of one Django
connection land on different PostgreSQL sessions, as they do under load in production.
Anything that outlives a transaction (a prepared statement, a cursor read between fetches) is
then missing from the next one. The tests run a school day through it with the settings
REELEARN_PGBOUNCER=true makes, and show each of those settings is needed: without it, the same
calls fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.test import Client

from reelearn.accounts.models import User
from reelearn.quizzes.models import Answer, Attempt, Question

from ..factories import PASSWORD, make_curriculum
from ..quizzes.factories import assign, make_class, make_quiz, right_answers
from .database_settings import connection_for, database_url, settings_for

Kind = Question.Kind


@dataclass
class PgBouncer:
    port: int
    database: dict  # the test database's connection settings
    process: subprocess.Popen
    server_pids: set[int] = field(default_factory=set)

    def url(self) -> str:
        return database_url(self.database, host="127.0.0.1", port=self.port)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            dbname=self.database["NAME"],
            user=self.database["USER"] or "postgres",
            autocommit=True,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(folder: Path, port: int, database: dict) -> Path:
    server = {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"] or "postgres",
        "password": database["PASSWORD"],
    }
    target = " ".join(f"{k}={v}" for k, v in server.items() if v)
    path = folder / "pgbouncer.ini"
    path.write_text(
        "[databases]\n"
        f"* = {target}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        # Any client name is let in and logs in to PostgreSQL as the [databases] user.
        "auth_type = any\n"
        "pool_mode = transaction\n"
        "default_pool_size = 2\n"
        # Idle server sessions are handed out oldest first: transactions take turns on them.
        "server_round_robin = 1\n"
    )
    return path


def _wait_until_serving(bouncer: PgBouncer, log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            bouncer.connect().close()
            return
        except psycopg.OperationalError:
            assert bouncer.process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "pgbouncer did not answer within 20 s"
            time.sleep(0.05)


def _open_two_server_sessions(bouncer: PgBouncer) -> None:
    """Two clients in a transaction at once make PgBouncer open both server sessions; then one
    client's transactions alternate between them."""
    first, second = bouncer.connect(), bouncer.connect()
    with first, second:
        for client in (first, second):
            client.execute("BEGIN")
            bouncer.server_pids.add(client.execute("SELECT pg_backend_pid()").fetchone()[0])
        for client in (first, second):
            client.execute("COMMIT")
    with bouncer.connect() as client:
        seen = {client.execute("SELECT pg_backend_pid()").fetchone()[0] for _ in range(4)}
    assert seen == bouncer.server_pids and len(seen) == 2, "PgBouncer did not take turns"


def _wait_for_sessions_to_end(database: dict, pids: set[int]) -> None:
    """PostgreSQL has let go of PgBouncer's sessions (or the test database could not be
    flushed and dropped after the test)."""
    with psycopg.connect(database_url(database), autocommit=True) as admin:
        deadline = time.monotonic() + 20
        while admin.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)]
        ).fetchone():
            assert time.monotonic() < deadline, f"PgBouncer's sessions {pids} are still open"
            time.sleep(0.05)


@pytest.fixture
def pgbouncer(tmp_path):
    executable = shutil.which("pgbouncer")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("pgbouncer is missing: .ci/run installs it")
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
    database = dict(connection.settings_dict)
    port = _free_port()
    log = tmp_path / "pgbouncer.log"
    # PgBouncer refuses to run as root; it reads its configuration before it drops privileges.
    user = ["-u", "nobody"] if os.geteuid() == 0 else []
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [executable, *user, str(_config(tmp_path, port, database))],
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    bouncer = PgBouncer(port=port, database=database, process=process)
    try:
        _wait_until_serving(bouncer, log)
        _open_two_server_sessions(bouncer)
        yield bouncer
    finally:
        process.terminate()
        process.wait(timeout=20)
        if bouncer.server_pids:
            _wait_for_sessions_to_end(database, bouncer.server_pids)


@contextmanager
def django_through(bouncer: PgBouncer, **environment: str):
    """The tests' `default` connection replaced, in the block, by one to PgBouncer with the
    settings reelearn/settings/base.py makes from `environment`."""
    made = settings_for(DATABASE_URL=bouncer.url(), **environment)["DATABASES"]["default"]
    original = connections[DEFAULT_DB_ALIAS]
    bounced = connection_for(DEFAULT_DB_ALIAS, made)
    connections[DEFAULT_DB_ALIAS] = bounced
    try:
        yield bounced
    finally:
        bounced.close()
        connections[DEFAULT_DB_ALIAS] = original


def _backend_pids(wrapper, times: int) -> set[int]:
    with wrapper.cursor() as cursor:
        pids = set()
        for _ in range(times):
            cursor.execute("SELECT pg_backend_pid()")
            pids.add(cursor.fetchone()[0])
    return pids


def _bulk_pupils(count: int) -> None:
    User.objects.bulk_create(
        User(username=f"bulk{n:05}", role=User.Role.PUPIL) for n in range(count)
    )


def _signed_in(username: str) -> Client:
    client = Client(raise_request_exception=True)
    response = client.post("/accounts/sign-in/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def _pupil_takes_the_quiz(client: Client, quiz) -> Attempt:
    """Start, autosave every answer four times over (one statement, run again and again), submit."""
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, "application/json")
    assert started.status_code == 201, started.content
    attempt = Attempt.objects.get(pk=started.json()["id"])
    answers = right_answers(attempt)
    for revision in range(1, 5):
        for question_id, response in answers.items():
            saved = client.put(
                f"/api/v1/attempts/{attempt.pk}/answers/{question_id}/",
                {"response": response, "revision": revision},
                "application/json",
            )
            assert saved.status_code == 200 and saved.json()["applied"], saved.content
    submitted = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, "application/json")
    assert submitted.status_code == 200, submitted.content
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    return attempt


@pytest.mark.django_db(transaction=True)
def test_a_school_day_through_pgbouncer(pgbouncer, teacher, pupil):
    with django_through(pgbouncer, REELEARN_PGBOUNCER="true") as bounced:
        assert bounced.connection is None  # nothing has connected the old way yet
        # Proof that the app's own connection is pooled: its transactions change sessions.
        assert _backend_pids(bounced, 4) == pgbouncer.server_pids
        curriculum = make_curriculum(tiers=("t1",), lessons_per_tier=1)
        unit, lesson = curriculum["tier_pages"]["t1"], curriculum["lessons"]["t1"][0]
        quiz = make_quiz(unit, kinds=[Kind.SINGLE, Kind.SHORT_TEXT, Kind.OPEN])
        classroom = make_class(teacher, [pupil])
        assign(classroom, unit, [pupil])

        reader = _signed_in("pupil")
        page = reader.get(lesson.get_url())
        assert page.status_code == 200 and lesson.title in page.content.decode()
        attempt = _pupil_takes_the_quiz(reader, quiz)

        marker = _signed_in("teacher")
        open_answer = Answer.objects.get(attempt=attempt, question__kind=Kind.OPEN)
        marked = marker.post(
            f"/classes/{classroom.pk}/quizzes/{quiz.pk}/marking/",
            {"answer": open_answer.pk, "score": "3", "comment": "Good reasons."},
        )
        assert marked.status_code == 302, marked.content[:500]
        book = marker.get(f"/classes/{classroom.pk}/gradebook/")
        assert book.status_code == 200
        attempt.refresh_from_db()
        assert attempt.score == 5  # two right answers, and 3 of 4 for the open one
        assert pupil.display_name in book.content.decode()

        # iterator() over more rows than one chunk: fetched in one go, no cursor kept open.
        _bulk_pupils(1200)
        names = [
            u.username
            for u in User.objects.filter(username__startswith="bulk").iterator(chunk_size=100)
        ]
        assert names == [f"bulk{n:05}" for n in range(1200)]
        assert bounced.connection.info.port == pgbouncer.port


# The two failures need no rows of the test's own: they read what the migrations made, which
# every session sees, so they run inside the usual rolled-back transaction.


@pytest.mark.django_db
def test_without_the_setting_iterator_loses_its_cursor_to_another_session(pgbouncer):
    permissions = Permission.objects.order_by("pk")
    assert permissions.count() > 200
    # Prepared statements off too, so that only the cursor can go wrong. The fetch fails
    # (Django's error), then closing the cursor (psycopg's own, which Django leaves unwrapped).
    with (
        django_through(pgbouncer, DATABASE_PREPARED_STATEMENTS="false"),
        pytest.raises((DatabaseError, psycopg.Error), match=r'"_django_curs_\w+" does not'),
    ):
        list(permissions.iterator(chunk_size=100))


@pytest.mark.django_db
def test_without_the_setting_a_prepared_statement_is_missing_on_the_next_session(pgbouncer):
    missing = r'prepared statement "_pg3_\d+" does not exist'
    with (
        django_through(pgbouncer, REELEARN_PGBOUNCER="true", DATABASE_PREPARED_STATEMENTS="true"),
        pytest.raises(DatabaseError, match=missing),
    ):
        for _ in range(10):  # psycopg prepares a statement on its fifth run
            Permission.objects.filter(pk=0).exists()
