"""Redis (the Celery broker) is down: a real broker URL where nothing listens, not a mock.

Reading, quizzes and sign-in need no broker and keep working. /healthz says which part is down
with a 503, so a load balancer or an operator sees it. Asking for a pack still answers: the pack
is recorded as queued and the reader told it will be made, and once the broker is back the
periodic sweep sends it to a worker. Transactional tests: on-commit enqueues run for real.
"""

from __future__ import annotations

import pytest
from django.test import Client

from reelearn.packs.models import Pack
from reelearn.packs.tasks import packs_requeue_stuck_task
from reelearn.quizzes.models import Attempt

from ..security.crawler import links_in_html

pytestmark = pytest.mark.django_db(transaction=True)


def _visitor() -> Client:
    return Client(raise_request_exception=False)


def test_pages_quizzes_and_health_while_the_broker_is_down(quiz_setup, pupil, broker_down):
    lesson, quiz = quiz_setup["lesson"], quiz_setup["quiz"]
    visitor = _visitor()
    for path in ("/", "/curriculum/", lesson.url, "/search/?q=rare", "/glossary/"):
        assert visitor.get(path).status_code == 200, path
    health = visitor.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "ok", "broker": "down"}
    # A pupil starts, answers and submits the assigned quiz without JavaScript.
    client = Client(raise_request_exception=False)
    client.force_login(pupil)
    assert client.get("/my-work/").status_code == 200
    quiz_page = client.get(f"/my-work/quizzes/{quiz.pk}/")
    _links, forms = links_in_html(quiz_page.content.decode(), quiz_page.wsgi_request.path)
    (start,) = [f for f in forms if f.action.endswith("/start/")]
    started = client.post(start.action, dict(start.fields))
    assert started.status_code == 302
    attempt = Attempt.objects.get(pupil=pupil, quiz=quiz)
    page = client.get(started["Location"])
    _links, forms = links_in_html(page.content.decode(), page.wsgi_request.path)
    (form,) = [f for f in forms if f.action == f"/my-work/quizzes/attempts/{attempt.pk}/"]
    data = {**dict(form.fields), "action": "submit"}
    assert client.post(form.action, data).status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED


def _ask_for_pack(lesson) -> Pack:
    visitor = _visitor()
    response = visitor.get(f"/packs/page/{lesson.pk}/student-a4.pdf")
    # Not a 500: the reader is sent to the pack's status page, which says it is on its way.
    assert response.status_code == 302, response.status_code
    status = visitor.get(response["Location"])
    assert status.status_code == 200
    assert "Queued" in status.content.decode()
    pack = Pack.objects.get(page=lesson, edition="student", paper="a4")
    assert pack.status == Pack.Status.QUEUED
    return pack


def test_a_pack_asked_for_while_the_broker_is_down_is_queued(quiz_setup, broker_down):
    lesson = quiz_setup["lesson"]
    _ask_for_pack(lesson)
    # The "Make this pack" button of another slot is answered the same way.
    asked = _visitor().post(f"/packs/page/{lesson.pk}/request/",
                            {"edition": "student", "paper": "letter"})
    assert asked.status_code == 302, asked.status_code
    assert Pack.objects.get(page=lesson, paper="letter").status == Pack.Status.QUEUED


def test_packs_queued_during_the_outage_are_made_once_the_broker_is_back(
        quiz_setup, broker_down, settings):
    lesson = quiz_setup["lesson"]
    pack = _ask_for_pack(lesson)
    broker_down.end()
    settings.PACKS_STUCK_SECONDS = 0  # the sweep's next run finds it (normally a few minutes)
    packs_requeue_stuck_task()
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    served = _visitor().get(f"/packs/page/{lesson.pk}/student-a4.pdf")
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")


def test_publishing_a_lesson_while_the_broker_is_down(quiz_setup, editor, broker_down):
    lesson = quiz_setup["lesson"]
    lesson.title = "Published during the outage"
    revision = lesson.save_revision(user=editor)
    revision.publish(user=editor)
    assert _visitor().get(lesson.url).content.decode().count("Published during the outage")
