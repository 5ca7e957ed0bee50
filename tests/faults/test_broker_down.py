"""Redis (the Celery broker) is down: a real broker URL where nothing listens, not a mock.

Reading, quizzes and sign-in need no broker and keep working. /healthz says which part is down
with a 503, so a load balancer or an operator sees it. Asking for a pack still answers: the pack
is recorded as queued and the reader told it will be made, and once the broker is back the
periodic sweep sends it to a worker. Transactional tests: on-commit enqueues run for real.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

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
    data = {**dict(form.fields), "action": "submit", "confirm_blank": "1"}  # a blank hand-in
    assert client.post(form.action, data).status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED


def test_asking_for_a_pack_while_the_broker_is_down_says_it_is_queued(quiz_setup, broker_down):
    lesson, visitor = quiz_setup["lesson"], _visitor()
    latest = visitor.get(f"/packs/page/{lesson.pk}/student-a4.pdf")
    button = visitor.post(
        f"/packs/page/{lesson.pk}/request/", {"edition": "student", "paper": "letter"}
    )
    api = APIClient(raise_request_exception=False).post(
        "/api/v1/packs/",
        {"page": quiz_setup["curriculum"]["tier_pages"]["t1"].pk, "paper": "a4"},
        format="json",
    )
    answers = {
        "latest PDF": latest.status_code,
        "Make this pack": button.status_code,
        "API": api.status_code,
    }
    assert answers == {"latest PDF": 302, "Make this pack": 302, "API": 202}, answers
    status = visitor.get(f"/packs/page/{lesson.pk}/")
    assert status.status_code == 200 and "Queued" in status.content.decode()


def test_packs_asked_for_during_the_outage_are_made_once_the_broker_is_back(
    quiz_setup, broker_down, settings
):
    """Whatever the reader was told (see above), the request is on record and not lost."""
    lesson = quiz_setup["lesson"]
    _visitor().get(f"/packs/page/{lesson.pk}/student-a4.pdf")
    pack = Pack.objects.get(page=lesson, edition="student", paper="a4")
    assert pack.status == Pack.Status.QUEUED
    broker_down.end()
    settings.PACKS_STUCK_SECONDS = 0  # the sweep's next run finds it (normally minutes later)
    packs_requeue_stuck_task()
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    served = _visitor().get(f"/packs/page/{lesson.pk}/student-a4.pdf")
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")


def test_publishing_a_lesson_while_the_broker_is_down(quiz_setup, editor, broker_down):
    lesson = quiz_setup["lesson"]
    lesson.title = "Published during the outage"
    lesson.save_revision(user=editor).publish(user=editor)
    assert "Published during the outage" in _visitor().get(lesson.url).content.decode()
