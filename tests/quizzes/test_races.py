"""Parallel requests with real threads against PostgreSQL: one attempt, one submission."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from reelearn.quizzes import attempts
from reelearn.quizzes.models import Answer, Attempt, Question

from .factories import make_quiz, right_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS = 50


def run_parallel(n: int, call):
    barrier = threading.Barrier(n)

    def worker(i):
        try:
            barrier.wait(timeout=30)
            return call(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(worker, range(n)))


@pytest.fixture
def race_quiz(curriculum):
    return make_quiz(curriculum["lessons"]["t1"][0], attempts_allowed=0)


def test_fifty_parallel_submits_give_one_submission_and_one_score(pupil, race_quiz):
    attempt, _ = attempts.attempt_start(quiz=race_quiz, pupil=pupil)
    answers = {str(k): v for k, v in right_answers(attempt).items()}

    def submit(_i):
        client = APIClient()
        client.force_authenticate(pupil)
        response = client.post(
            f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": answers}, format="json"
        )
        return response.status_code, response.json()

    results = run_parallel(THREADS, submit)
    codes = sorted(code for code, _body in results)
    assert codes == [200] + [409] * (THREADS - 1), codes
    assert {body.get("code") for code, body in results if code == 409} == {"already_submitted"}
    # Every response carries the same, single result.
    scores = {(body.get("result") or body)["score"] for _code, body in results}
    assert len(scores) == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score == 7
    assert Attempt.objects.filter(pupil=pupil).count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == race_quiz.questions.count()


def test_parallel_starts_open_one_attempt(pupil, race_quiz):
    def start(_i):
        client = APIClient()
        client.force_authenticate(pupil)
        response = client.post(f"/api/v1/quizzes/{race_quiz.pk}/attempts/", {}, format="json")
        return response.status_code, response.json()["id"]

    results = run_parallel(20, start)
    assert len({attempt_id for _code, attempt_id in results}) == 1
    assert sorted(code for code, _id in results).count(201) == 1
    assert Attempt.objects.filter(pupil=pupil).count() == 1


def test_saves_racing_a_submit_never_land_after_it(pupil, race_quiz):
    attempt, _ = attempts.attempt_start(quiz=race_quiz, pupil=pupil)
    question = race_quiz.questions.get(kind=Question.Kind.SHORT_TEXT)

    def act(i):
        client = APIClient()
        client.force_authenticate(pupil)
        if i == 0:
            return client.post(
                f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json"
            ).status_code
        return client.put(
            f"/api/v1/attempts/{attempt.pk}/answers/{question.pk}/",
            {"response": {"text": f"answer {i}"}, "revision": i},
            format="json",
        ).status_code

    codes = run_parallel(20, act)
    assert set(codes) <= {200, 409}
    attempt.refresh_from_db()
    answer = Answer.objects.filter(attempt=attempt).first()
    # Whatever was saved before the submit was graded with it; nothing changed afterwards.
    if answer is not None:
        assert answer.saved_at <= attempt.submitted_at
        assert answer.score is not None
