"""Batched autosave: POST /api/v1/attempts/<id>/answers/ with several answers, each with its
revision (a quiz page that queued them while offline). Per-answer results; a 4xx only when the
whole request is malformed, not the pupil's, or the attempt is closed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reelearn.api.quizzes.serializers import MAX_BATCH
from reelearn.quizzes.models import Answer, Attempt, Question
from tests.quizzes.factories import make_quiz, right_answers

from .test_quizzes_pupil import put, start

Kind = Question.Kind


def batch(client, attempt, answers):
    return client.post(
        f"/api/v1/attempts/{attempt.pk}/answers/", {"answers": answers}, format="json"
    )


def item(question, response, revision):
    return {"question": question.pk, "response": response, "revision": revision}


def stored(attempt) -> dict:
    return {a.question_id: (a.response, a.revision) for a in Answer.objects.filter(attempt=attempt)}


def test_each_answer_gets_its_own_result(api, quiz, curriculum):
    attempt = start(api, quiz)
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    single = quiz.questions.get(kind=Kind.SINGLE)
    numeric = quiz.questions.get(kind=Kind.NUMERIC)
    put(api, attempt, numeric, {"value": "17"}, revision=500)
    foreign = make_quiz(curriculum["lessons"]["t3"][0]).questions.first()
    right = right_answers(attempt)
    response = batch(
        api,
        attempt,
        [
            item(short, {"text": "Neodymium"}, 100),
            item(single, right[single.pk], 101),
            item(numeric, {"value": "18"}, 400),  # older than what is stored
            item(single, {"choice": "t-not-a-token"}, 102),
            item(foreign, {"text": "x"}, 103),
        ],
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["saved", "saved", "stale", "invalid", "invalid"]
    assert [r["question"] for r in results] == [
        short.pk,
        single.pk,
        numeric.pk,
        single.pk,
        foreign.pk,
    ]
    assert results[0]["revision"] == 100 and results[0]["saved_at"]
    assert results[2]["revision"] == 500  # the stored one: the client can drop its older copy
    assert "response" in results[3]["errors"] and "question" in results[4]["errors"]
    assert stored(attempt)[short.pk] == ({"text": "Neodymium"}, 100)
    assert stored(attempt)[numeric.pk] == ({"value": "17"}, 500)
    assert stored(attempt)[single.pk][1] == 101  # the invalid one changed nothing


def test_sending_the_same_batch_again_changes_nothing(api, quiz):
    attempt = start(api, quiz)
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    sent = [item(short, {"text": "Nd"}, 10), item(short, {"text": "Neodymium"}, 11)]
    first = batch(api, attempt, sent).json()["results"]
    again = batch(api, attempt, sent).json()["results"]
    # In order, as if sent one by one: the later answer wins; a retry finds both stale.
    assert [r["status"] for r in first] == ["saved", "saved"]
    assert [r["status"] for r in again] == ["stale", "stale"]
    assert [r["revision"] for r in again] == [11, 11]
    assert stored(attempt) == {short.pk: ({"text": "Neodymium"}, 11)}


def test_a_checked_answer_is_locked(api, curriculum):
    quiz = make_quiz(
        curriculum["lessons"]["t1"][0], kinds=[Kind.SHORT_TEXT], feedback_timing="immediate"
    )
    attempt = start(api, quiz)
    question = quiz.questions.get()
    assert put(api, attempt, question, {"text": "iron"}, revision=5, check=True).status_code == 200
    results = batch(api, attempt, [item(question, {"text": "Nd"}, 9)]).json()["results"]
    assert results[0]["status"] == "locked"
    assert stored(attempt)[question.pk] == ({"text": "iron"}, 5)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"answers": []},
        {"answers": "all of them"},
        {"answers": [{"question": 1, "response": None}]},  # no revision
        {"answers": [{"question": "one", "response": None, "revision": 1}]},
        {"answers": [{"question": 1, "response": None, "revision": -1}]},
        {"answers": [{"question": 1, "response": None, "revision": 1}] * (MAX_BATCH + 1)},
    ],
)
def test_a_malformed_request_is_400_and_saves_nothing(api, quiz, body):
    attempt = start(api, quiz)
    response = api.post(f"/api/v1/attempts/{attempt.pk}/answers/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "answers" in response.json()["fields"]
    assert not Answer.objects.exists()


def test_a_closed_attempt_is_409_and_saves_nothing(api, quiz):
    attempt = start(api, quiz)
    assert api.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json").status_code == 200
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    response = batch(api, attempt, [item(short, {"text": "late"}, 10**12)])
    assert response.status_code == 409 and response.json()["code"] == "already_submitted"
    assert not Answer.objects.exists()


def test_only_the_pupil_can_send_answers(api, quiz, teacher, other_pupil):
    attempt = start(api, quiz)
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    sent = [item(short, {"text": "hijack"}, 1)]
    intruder = APIClient()
    intruder.force_authenticate(other_pupil)
    assert batch(intruder, attempt, sent).status_code == 404
    adult = APIClient()
    adult.force_authenticate(teacher)
    assert batch(adult, attempt, sent).status_code == 403
    assert batch(APIClient(), attempt, sent).status_code in (401, 403)
    assert not Answer.objects.exists() and Attempt.objects.get(pk=attempt.pk).is_open


def test_a_batch_costs_the_same_queries_for_two_answers_as_for_eight(
    api, quiz, django_assert_num_queries
):
    attempt = start(api, quiz)
    answers = right_answers(attempt)
    questions = list(quiz.questions.filter(pk__in=answers))
    assert len(questions) >= 7
    # savepoint, lock (with quiz and assignment), the stored answers, one insert, release
    with django_assert_num_queries(5):
        batch(api, attempt, [item(q, answers[q.pk], 1) for q in questions[:2]])
    # the same, with an update of the two stored answers
    with django_assert_num_queries(6):
        batch(api, attempt, [item(q, answers[q.pk], 2) for q in questions])
    assert len(stored(attempt)) == len(questions)
