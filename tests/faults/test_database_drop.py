"""The database connection drops in the middle of saving or submitting a quiz.

The PostgreSQL backend serving the request is terminated from a second connection just before
a chosen statement (tests/faults/conftest.py), inside a real, committed-data test database.
The reader gets a clear 503 (an HTML page, or JSON from the API) saying nothing was saved, and
the database holds the attempt exactly as before the request: never half a submission. The same
request sent again afterwards succeeds, once.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reelearn.classroom.models import AssignmentPupil
from reelearn.quizzes import attempts
from reelearn.quizzes.models import Answer, Attempt, Question

from ..security.crawler import links_in_html
from .conftest import database_drops_before

pytestmark = pytest.mark.django_db(transaction=True)

SAVED_BEFORE = "Saved before the outage"
SENT_DURING = "Sent while the database went away"


def _start(quiz, pupil, assignment):
    link = AssignmentPupil.objects.select_related("assignment__page").get(
        assignment=assignment, pupil=pupil
    )
    attempt, _created = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    return attempt, link


def _open_question(quiz):
    return quiz.questions.get(kind=Question.Kind.OPEN)


def _snapshot(attempt):
    attempt = Attempt.objects.get(pk=attempt.pk)
    answers = {
        a.question_id: (a.response, a.revision) for a in Answer.objects.filter(attempt=attempt)
    }
    link = AssignmentPupil.objects.get(pk=attempt.assignment_pupil_id)
    return {
        "status": attempt.status,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "graded_at": attempt.graded_at,
        "answers": answers,
        "link": (link.status, link.turned_in_at),
    }


def _form_data(client, attempt, **overrides) -> dict:
    """The attempt page's form as the pupil's browser would send it."""
    page = client.get(f"/my-work/quizzes/attempts/{attempt.pk}/")
    assert page.status_code == 200
    _links, forms = links_in_html(page.content.decode(), page.wsgi_request.path)
    (form,) = [f for f in forms if f.action == f"/my-work/quizzes/attempts/{attempt.pk}/"]
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    data.update({k: [v] for k, v in overrides.items()})
    return data


def _assert_503_page(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"]
    assert "nothing from this request was saved" in response.content.decode()


def _assert_503_json(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"]


@pytest.fixture
def pupil_client(pupil):
    client = Client(raise_request_exception=False)
    client.force_login(pupil)
    return client


@pytest.fixture
def api_client(pupil):
    client = APIClient(raise_request_exception=False)
    client.force_login(pupil)
    return client


def test_a_submit_cut_off_before_the_attempt_closes_saves_nothing(quiz_setup, pupil, pupil_client):
    quiz = quiz_setup["quiz"]
    attempt, _link = _start(quiz, pupil, quiz_setup["assignment"])
    open_q = _open_question(quiz)
    saved = pupil_client.post(
        f"/my-work/quizzes/attempts/{attempt.pk}/",
        _form_data(pupil_client, attempt, **{f"q{open_q.pk}": SAVED_BEFORE, "action": "save"}),
    )
    assert saved.status_code == 302
    before = _snapshot(attempt)
    data = _form_data(pupil_client, attempt, **{f"q{open_q.pk}": SENT_DURING, "action": "submit"})
    # The submit has written the answers and graded them; the attempt's own UPDATE is next.
    with database_drops_before('UPDATE "quizzes_attempt"') as cut:
        response = pupil_client.post(f"/my-work/quizzes/attempts/{attempt.pk}/", data)
    assert cut, "the request never reached the statement the database dropped before"
    _assert_503_page(response)
    assert _snapshot(attempt) == before  # nothing half-written: not even the new answer
    # Sent again once the database is back: submitted exactly once, with the new answer.
    again = pupil_client.post(f"/my-work/quizzes/attempts/{attempt.pk}/", data)
    assert again.status_code == 302 and again["Location"].endswith("/result/")
    after = _snapshot(attempt)
    assert after["status"] == Attempt.Status.SUBMITTED
    assert after["answers"][open_q.pk][0] == {"text": SENT_DURING}
    # The quiz is done; turning the assignment in is the pupil's own step (issue 19).
    assert after["link"][0] == AssignmentPupil.Status.IN_PROGRESS
    assert Attempt.objects.filter(pupil=pupil, quiz=quiz).count() == 1


def test_an_answer_save_cut_off_mid_write_keeps_the_previous_answer(
    quiz_setup, pupil, pupil_client
):
    quiz = quiz_setup["quiz"]
    attempt, _link = _start(quiz, pupil, quiz_setup["assignment"])
    open_q = _open_question(quiz)
    short_q = quiz.questions.get(kind=Question.Kind.SHORT_TEXT)
    first = _form_data(pupil_client, attempt, **{f"q{open_q.pk}": SAVED_BEFORE, "action": "save"})
    assert pupil_client.post(f"/my-work/quizzes/attempts/{attempt.pk}/", first).status_code == 302
    before = _snapshot(attempt)
    assert short_q.pk not in before["answers"]
    # One new answer (an INSERT) and one changed answer (an UPDATE): cut before the insert.
    data = _form_data(
        pupil_client,
        attempt,
        **{f"q{open_q.pk}": SENT_DURING, f"q{short_q.pk}": "Neodymium", "action": "save"},
    )
    with database_drops_before('INSERT INTO "quizzes_answer"') as cut:
        response = pupil_client.post(f"/my-work/quizzes/attempts/{attempt.pk}/", data)
    assert cut
    _assert_503_page(response)
    assert _snapshot(attempt) == before
    assert pupil_client.post(f"/my-work/quizzes/attempts/{attempt.pk}/", data).status_code == 302
    answers = _snapshot(attempt)["answers"]
    assert answers[open_q.pk][0] == {"text": SENT_DURING}
    assert answers[short_q.pk][0] == {"text": "Neodymium"}


def test_the_api_answers_503_json_and_keeps_the_answer_unsaved(quiz_setup, pupil, api_client):
    quiz = quiz_setup["quiz"]
    attempt, _link = _start(quiz, pupil, quiz_setup["assignment"])
    open_q = _open_question(quiz)
    url = f"/api/v1/attempts/{attempt.pk}/answers/{open_q.pk}/"
    body = {"response": {"text": SENT_DURING}, "revision": 1000}
    with database_drops_before('INSERT INTO "quizzes_answer"') as cut:
        response = api_client.put(url, body, format="json")
    assert cut
    _assert_503_json(response)
    assert not Answer.objects.filter(attempt=attempt).exists()
    retried = api_client.put(url, body, format="json")  # the page's script retries
    assert retried.status_code == 200 and retried.json()["applied"] is True
    assert Answer.objects.get(attempt=attempt, question=open_q).response == {"text": SENT_DURING}


def test_an_api_submit_cut_off_at_its_last_write_rolls_back_whole(quiz_setup, pupil, api_client):
    """The last statement of a submit closes the attempt, after its answers were graded in the
    same transaction (the assignment was started with the attempt, and is turned in by the
    pupil later): cut there, none of it may stay."""
    quiz = quiz_setup["quiz"]
    attempt, _link = _start(quiz, pupil, quiz_setup["assignment"])
    open_q = _open_question(quiz)
    assert (
        api_client.put(
            f"/api/v1/attempts/{attempt.pk}/answers/{open_q.pk}/",
            {"response": {"text": SAVED_BEFORE}, "revision": 1},
            format="json",
        ).status_code
        == 200
    )
    before = _snapshot(attempt)
    with database_drops_before('UPDATE "quizzes_attempt"') as cut:
        response = api_client.post(f"/api/v1/attempts/{attempt.pk}/submit/", format="json")
    assert cut, "the submit never closed the attempt"
    _assert_503_json(response)
    assert _snapshot(attempt) == before
    submitted = api_client.post(f"/api/v1/attempts/{attempt.pk}/submit/", format="json")
    assert submitted.status_code == 200
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED
    twice = api_client.post(f"/api/v1/attempts/{attempt.pk}/submit/", format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_submitted"
    assert Attempt.objects.filter(pupil=pupil, quiz=quiz, status="submitted").count() == 1


def test_pages_after_the_outage_are_served_on_a_fresh_connection(quiz_setup, pupil, pupil_client):
    """A request that only reads, cut off, is a 503 too; the next one is a normal 200."""
    with database_drops_before("SELECT") as cut:
        response = pupil_client.get("/my-work/")
    assert cut
    _assert_503_page(response)
    assert pupil_client.get("/my-work/").status_code == 200


@pytest.mark.parametrize(
    "path, check",
    [
        ("/curriculum/no-such-lesson/", _assert_503_page),
        ("/api/v1/no-such-endpoint/", _assert_503_json),
    ],
)
def test_a_database_lost_after_the_view_is_a_503_too(quiz_setup, path, check):
    """The view is done (a 404) and Wagtail's redirect middleware looks the path up: the
    connection drops there, outside any view, and the error handler still says 503."""
    client = Client(raise_request_exception=False)
    with database_drops_before('SELECT "wagtailredirects_redirect"') as cut:
        response = client.get(path)
    assert cut
    check(response)
    assert client.get(path).status_code == 404
