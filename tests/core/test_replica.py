"""Teacher reports from a read replica, with read-your-writes (reelearn/core/dbrouter.py).

The replica is a second, real connection to the test database: its own PostgreSQL session,
read-only as a hot standby is, set up from the settings REELEARN_REPLICA_DATABASE_URL makes.
Queries are captured per connection, so each test sees which alias served what. A replica that
has fallen behind is a session held in one snapshot (REPEATABLE READ) while the primary moves on.
"""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from reelearn.classroom.models import ClassTeacher
from reelearn.core.dbrouter import REPLICA, replica_reads
from reelearn.quizzes.models import Answer, Attempt, Question

from ..factories import make_curriculum
from ..quizzes.factories import assign, make_class, make_quiz, right_answers
from .database_settings import connection_for, database_url, settings_for, settings_run

Kind = Question.Kind
# Committed rows, so that the replica's own session sees them; the replica reads the test
# database too (TEST MIRROR), so it is not flushed twice.
WITH_REPLICA = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
REPORT_TABLES = {"quizzes_attempt", "quizzes_answer"}


def _tables(captured: CaptureQueriesContext) -> set[str]:
    return {
        table
        for query in captured.captured_queries
        for table in re.findall(r'(?:FROM|JOIN|UPDATE|INTO) "(\w+)"', query["sql"])
    }


@contextmanager
def served():
    """The queries each alias served in the block."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        yield SimpleNamespace(primary=primary, replica=replica)


@contextmanager
def replica_lags():
    """From here on the replica shows the database as it is now, as a standby that has fallen
    behind would."""
    replica = connections[REPLICA]
    replica.set_autocommit(False)
    with replica.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT 1")  # the snapshot is taken here
    try:
        yield
    finally:
        replica.rollback()
        replica.set_autocommit(True)


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """The `replica` alias as base.py sets it up for REELEARN_REPLICA_DATABASE_URL, the URL
    naming the test database. Registered before any test case is set up, since Django lets a
    test use only the aliases it declares (`databases`) and checks they exist."""
    url = database_url(connection.settings_dict)
    made = settings_for(DATABASE_URL=url, REELEARN_REPLICA_DATABASE_URL=url)
    replica_settings = made["DATABASES"][REPLICA]
    # A standby takes no writes: neither does this session, so a write sent here would fail.
    replica_settings["OPTIONS"]["options"] = "-c default_transaction_read_only=on"
    connections.settings[REPLICA] = connection_for(REPLICA, replica_settings).settings_dict
    try:
        yield made
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(replica_alias, settings):
    """The router and the read-your-writes middleware, as base.py adds them with the alias."""
    settings.DATABASE_ROUTERS = replica_alias["DATABASE_ROUTERS"]
    settings.MIDDLEWARE = replica_alias["MIDDLEWARE"]
    return connections[REPLICA]


@pytest.fixture
def school(replica, transactional_db, teacher, other_teacher, pupil, other_pupil):
    """A class with two teachers; both pupils have handed in a quiz whose open answer waits
    for marking."""
    curriculum = make_curriculum(tiers=("t1",), lessons_per_tier=1)
    unit = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(unit, kinds=[Kind.SINGLE, Kind.OPEN])
    classroom = make_class(teacher, [pupil, other_pupil])
    ClassTeacher.objects.create(classroom=classroom, teacher=other_teacher)
    assignment = assign(classroom, unit, [pupil, other_pupil])
    for someone in (pupil, other_pupil):
        api = APIClient()
        api.force_authenticate(someone)
        started = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
        attempt = Attempt.objects.get(pk=started.json()["id"])
        answers = {str(k): v for k, v in right_answers(attempt).items()}
        done = api.post(f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": answers}, "json")
        assert done.status_code == 200, done.content
    return SimpleNamespace(
        classroom=classroom,
        quiz=quiz,
        assignment=assignment,
        lesson=curriculum["lessons"]["t1"][0],
        attempt=Attempt.objects.get(pupil=pupil),
        open_answer=Answer.objects.get(attempt__pupil=pupil, question__kind=Kind.OPEN),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pupil_cell(client, school, pupil) -> dict:
    book = client.get(f"/api/v1/classes/{school.classroom.pk}/gradebook/")
    assert book.status_code == 200, book.content
    (row,) = [r for r in book.json()["rows"] if r["pupil"]["id"] == pupil.pk]
    return row["cells"][0]


def test_the_replica_setting_adds_the_alias_the_router_and_the_middleware():
    url = "postgres://reelearn@db.example:5432/reelearn"
    made = settings_for(
        DATABASE_URL=url,
        REELEARN_REPLICA_DATABASE_URL="postgres://reader@replica.example:5432/reelearn",
        REELEARN_PGBOUNCER="true",
    )
    primary, replica = made["DATABASES"]["default"], made["DATABASES"][REPLICA]
    assert (replica["HOST"], replica["USER"]) == ("replica.example", "reader")
    assert replica["TEST"] == {"MIRROR": "default"}  # one test database, read through both
    for key in ("OPTIONS", "DISABLE_SERVER_SIDE_CURSORS", "CONN_MAX_AGE", "ENGINE"):
        assert replica[key] == primary[key], key
    assert made["DATABASE_ROUTERS"] == ["reelearn.core.dbrouter.ReplicaRouter"]
    assert made["MIDDLEWARE"][-1] == "reelearn.core.dbrouter.ReadYourWritesMiddleware"

    alone = settings_for(DATABASE_URL=url)
    assert list(alone["DATABASES"]) == ["default"] and alone["DATABASE_ROUTERS"] == []
    assert "reelearn.core.dbrouter.ReadYourWritesMiddleware" not in alone["MIDDLEWARE"]

    on_sqlite = settings_run(REELEARN_REPLICA_DATABASE_URL=url)
    assert on_sqlite.returncode != 0
    assert "REELEARN_REPLICA_DATABASE_URL needs a PostgreSQL DATABASE_URL" in on_sqlite.stderr


@WITH_REPLICA
def test_every_teacher_report_is_read_from_the_replica(school, replica, teacher):
    c, q = school.classroom.pk, school.quiz.pk
    reports = [
        f"/classes/{c}/gradebook/",
        f"/classes/{c}/gradebook/gradebook.csv",
        f"/classes/{c}/quizzes/{q}/",
        f"/classes/{c}/quizzes/{q}/analysis/",
        f"/classes/{c}/quizzes/{q}/detail.csv",
        f"/classes/{c}/quizzes/{q}/summary.csv",
        f"/classes/{c}/assignments/{school.assignment.pk}/",
        f"/api/v1/classes/{c}/gradebook/",
        f"/api/v1/classes/{c}/quizzes/{q}/results/",
        f"/api/v1/classes/{c}/quizzes/{q}/analysis/",
        f"/api/v1/classes/{c}/quizzes/{q}/export/?kind=detail",
        f"/api/v1/classes/{c}/quizzes/{q}/export/?kind=summary",
    ]
    client = _client(teacher)
    for url in reports:
        with served() as by:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        if "analysis" not in url:  # (item analysis counts answers and names no one)
            assert b"Amara K." in body, url  # the report really has its rows
        assert "quizzes_attempt" in _tables(by.replica), url
        # The primary: the session and the signed-in user, read before the view runs; for the
        # assignment page also the class check, which its decorator makes first.
        before_the_view = {"django_session", "accounts_user"}
        if "/assignments/" in url:
            before_the_view |= {"classroom_classroom", "classroom_classteacher"}
        assert _tables(by.primary) <= before_the_view, url


@WITH_REPLICA
def test_other_pages_and_every_write_use_the_primary_only(
    school, replica, teacher, other_teacher, pupil, monkeypatch
):
    reader, marker = _client(pupil), _client(teacher)
    c, q = school.classroom.pk, school.quiz.pk
    with served() as by:
        for client, url in [
            (reader, "/my-work/"),
            (reader, school.lesson.get_url()),
            (reader, f"/my-work/quizzes/attempts/{school.attempt.pk}/result/"),
            (marker, f"/classes/{c}/"),
            (marker, f"/classes/{c}/quizzes/{q}/marking/"),
            # One attempt, opened while marking: fresh from the primary, not a report.
            (marker, f"/classes/{c}/quizzes/{q}/attempts/{school.attempt.pk}/"),
        ]:
            assert client.get(url).status_code == 200, url
        marked = marker.post(
            f"/classes/{c}/quizzes/{q}/marking/",
            {"answer": school.open_answer.pk, "score": "2", "comment": ""},
        )
        assert marked.status_code == 302
    assert by.replica.captured_queries == []
    assert "quizzes_answer" in _tables(by.primary)

    # The replica goes away: reports answer 503 (nothing else notices), then come back.
    replica.close()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        monkeypatch.setitem(replica.settings_dict, "PORT", unused.getsockname()[1])
        report = _client(other_teacher).get(f"/classes/{c}/gradebook/")
    assert report.status_code == 503 and report["Retry-After"]
    assert reader.get("/my-work/").status_code == 200
    assert marker.get(f"/classes/{c}/quizzes/{q}/marking/").status_code == 200


@WITH_REPLICA
def test_a_teacher_sees_their_own_mark_at_once_while_the_replica_lags(
    school, replica, teacher, other_teacher, pupil
):
    marker, colleague = _client(teacher), _client(other_teacher)
    assert _pupil_cell(marker, school, pupil)["needs_marking"] is True
    with replica_lags(), time_machine.travel(timezone.now(), tick=False) as clock:
        marked = marker.post(
            f"/classes/{school.classroom.pk}/quizzes/{school.quiz.pk}/marking/",
            {"answer": school.open_answer.pk, "score": "3", "comment": "Good reasons."},
        )
        assert marked.status_code == 302
        with served() as by:
            mine = _pupil_cell(marker, school, pupil)
        assert mine["needs_marking"] is False and mine["score"] == 4.0  # 1 + 3, from the primary
        assert by.replica.captured_queries == [] and "quizzes_attempt" in _tables(by.primary)

        # Another teacher of the class reads the replica, which has not caught up yet.
        with served() as by:
            theirs = _pupil_cell(colleague, school, pupil)
        assert theirs["needs_marking"] is True and "quizzes_attempt" in _tables(by.replica)

        clock.shift(django_settings.REPLICA_PRIMARY_SECONDS + 1)
        with served() as by:
            later = _pupil_cell(marker, school, pupil)
        assert later["needs_marking"] is True  # the window is over: the (lagging) replica again
        assert not REPORT_TABLES & _tables(by.primary)
    assert _pupil_cell(marker, school, pupil)["needs_marking"] is False  # caught up


@WITH_REPLICA
def test_a_regrade_through_the_api_sends_that_teachers_reports_to_the_primary(
    school, replica, teacher, other_teacher
):
    api = APIClient()
    api.force_authenticate(teacher)
    gradebook = f"/api/v1/classes/{school.classroom.pk}/gradebook/"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        regraded = api.post(
            f"/api/v1/classes/{school.classroom.pk}/quizzes/{school.quiz.pk}/regrade/"
        )
        assert regraded.status_code == 200
        for who, source in [(api, "primary"), (_client(other_teacher), "replica")]:
            with served() as by:
                assert who.get(gradebook).status_code == 200
            assert "quizzes_attempt" in _tables(getattr(by, source)), source
        clock.shift(django_settings.REPLICA_PRIMARY_SECONDS + 1)
        with served() as by:
            assert api.get(gradebook).status_code == 200
        assert "quizzes_attempt" in _tables(by.replica)


@WITH_REPLICA
def test_writes_and_reads_in_a_transaction_stay_on_the_primary(school, replica, teacher):
    with replica_reads(teacher) as on_replica, served() as by:
        assert on_replica
        attempt = Attempt.objects.get(pk=school.attempt.pk)
        assert attempt._state.db == REPLICA
        attempt.save(update_fields=["score"])  # the replica's session is read-only
        with transaction.atomic():
            Attempt.objects.select_for_update().get(pk=attempt.pk)
    assert [q["sql"].split()[0] for q in by.replica.captured_queries] == ["SELECT"]
    primary = [q["sql"] for q in by.primary.captured_queries]
    assert any(sql.startswith('UPDATE "quizzes_attempt"') for sql in primary)
    assert any(sql.endswith("FOR UPDATE") for sql in primary)
