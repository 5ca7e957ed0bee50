"""What the quiz-taking hot path keeps in memory can never serve a stale or wrong answer.

Autosaves use questions cached per quiz version and attempts' quiz and seed cached per process
(reelearn.quizzes.cache), and the API caches token users when a shared cache is configured
(reelearn.api.authentication). Each test changes what is cached behind the cache's back, as
another process would, and checks the next request sees the change.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from reelearn.api.models import DeviceToken
from reelearn.quizzes.models import Answer, Choice, Question, Quiz

Kind = Question.Kind
pytestmark = pytest.mark.django_db


def start(api, quiz) -> dict:
    response = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
    assert response.status_code in (200, 201), response.content
    return response.json()


def question_data(attempt: dict, question: Question) -> dict:
    return next(q for q in attempt["questions"] if q["id"] == question.pk)


def put(api, attempt: dict, question: Question, response, revision: int):
    return api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{question.pk}/",
        {"response": response, "revision": revision},
        format="json",
    )


def edit_elsewhere(quiz: Quiz) -> None:
    """What another process's publish leaves behind: new rows, a new version, no signal here."""
    Quiz.objects.filter(pk=quiz.pk).update(updated_at=timezone.now())


def test_a_choice_added_by_another_process_is_accepted_at_once(api, quiz):
    single = quiz.questions.get(kind=Kind.SINGLE)
    attempt = start(api, quiz)
    first = question_data(attempt, single)["options"][0]["value"]
    assert put(api, attempt, single, {"choice": first}, 1).json()["applied"]

    new = Choice(
        question=single, text="A choice added later", sort_order=99, locale_id=quiz.locale_id
    )
    Choice.objects.bulk_create([new])  # bulk_create sends no signal: the cache is not told
    edit_elsewhere(quiz)

    attempt = api.get(f"/api/v1/attempts/{attempt['id']}/").json()
    options = {o["text"]: o["value"] for o in question_data(attempt, single)["options"]}
    assert "A choice added later" in options
    response = put(api, attempt, single, {"choice": options["A choice added later"]}, 2)
    assert response.status_code == 200, response.content
    assert response.json()["applied"]
    assert Answer.objects.get(question=single).response == {"choice": new.pk}


def test_a_save_checked_against_an_old_version_is_rechecked_not_lost(api, quiz):
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    attempt = start(api, quiz)
    assert put(api, attempt, short, {"text": "first"}, 1).json()["applied"]
    edit_elsewhere(quiz)  # the version this process cached is now out of date
    body = put(api, attempt, short, {"text": "second"}, 2).json()
    assert body["applied"] and body["revision"] == 2
    assert Answer.objects.get(question=short).response == {"text": "second"}


def test_a_removed_question_is_a_404_even_while_cached(api, quiz):
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    attempt = start(api, quiz)
    Question.objects.filter(pk=short.pk).delete()  # queryset delete: signals, but be explicit
    edit_elsewhere(quiz)
    response = put(api, attempt, short, {"text": "late"}, 1)
    assert response.status_code == 404
    assert not Answer.objects.filter(attempt_id=attempt["id"]).exists()


def test_the_usual_autosave_is_one_statement(api, quiz, django_assert_num_queries):
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    attempt = start(api, quiz)
    assert put(api, attempt, short, {"text": "warm"}, 1).json()["applied"]
    with django_assert_num_queries(1):
        body = put(api, attempt, short, {"text": "again"}, 2).json()
    assert body["applied"] and body["revision"] == 2


def test_another_pupils_cached_attempt_stays_theirs(api, quiz, other_pupil):
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    attempt = start(api, quiz)
    assert put(api, attempt, short, {"text": "mine"}, 1).json()["applied"]  # now cached
    intruder = APIClient()
    intruder.force_authenticate(other_pupil)
    assert put(intruder, attempt, short, {"text": "theirs"}, 2).status_code == 404
    assert Answer.objects.get(question=short).response == {"text": "mine"}


def test_a_submitted_attempt_takes_no_more_autosaves(api, quiz):
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    attempt = start(api, quiz)
    assert put(api, attempt, short, {"text": "before"}, 1).json()["applied"]
    assert (
        api.post(f"/api/v1/attempts/{attempt['id']}/submit/", {}, format="json").status_code == 200
    )
    response = put(api, attempt, short, {"text": "after"}, 2)
    assert response.status_code == 409
    assert response.json()["code"] == "already_submitted"
    assert Answer.objects.get(question=short).response == {"text": "before"}


# --- Token users ----------------------------------------------------------------------------


@pytest.fixture
def token_api(pupil):
    token, key = DeviceToken.issue(user=pupil)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, token


def token_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return [q["sql"] for q in queries.captured_queries if "api_devicetoken" in q["sql"]]


@override_settings(API_TOKEN_CACHE_SECONDS=300)
def test_a_cached_token_user_costs_no_query(token_api):
    client, _token = token_api
    assert client.get("/api/v1/my/assignments/").status_code == 200
    assert token_queries(client, "/api/v1/my/assignments/") == []


@override_settings(API_TOKEN_CACHE_SECONDS=0)
def test_without_a_shared_cache_every_request_reads_the_token(token_api):
    client, _token = token_api
    assert client.get("/api/v1/my/assignments/").status_code == 200
    assert len(token_queries(client, "/api/v1/my/assignments/")) == 1


def refused(response, reason: str) -> bool:
    # DRF answers 403 (not 401) because session authentication comes first: no challenge.
    return response.status_code == 403 and response.json()["detail"] == reason


@override_settings(API_TOKEN_CACHE_SECONDS=300)
def test_a_deleted_token_stops_working_at_once(token_api):
    client, token = token_api
    assert client.get("/api/v1/my/assignments/").status_code == 200
    token.delete()
    assert refused(client.get("/api/v1/my/assignments/"), "Invalid or expired token.")


@override_settings(API_TOKEN_CACHE_SECONDS=300)
def test_a_changed_or_deactivated_user_is_seen_at_once(token_api, pupil):
    client, _token = token_api
    assert client.get("/api/v1/my/assignments/").status_code == 200  # cached as a pupil
    pupil.role = "teacher"
    pupil.save()
    assert refused(client.get("/api/v1/my/assignments/"), "Only pupils can do this.")
    pupil.is_active = False
    pupil.save()
    assert refused(client.get("/api/v1/my/assignments/"), "User inactive or deleted.")
