"""Pupil quiz API: read without answers, start, save (idempotent PUT), submit, result."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from reelearn.quizzes.models import Answer, Attempt, Question, choice_token
from tests.quizzes.factories import assign, link_for, make_class, make_quiz, right_answers

Kind = Question.Kind


def start(api, quiz, **data):
    response = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", data, format="json")
    assert response.status_code in (200, 201), response.content
    return Attempt.objects.get(pk=response.json()["id"])


def put(api, attempt, question, response, revision=1, **extra):
    return api.put(
        f"/api/v1/attempts/{attempt.pk}/answers/{question.pk}/",
        {"response": response, "revision": revision, **extra},
        format="json",
    )


def test_quiz_for_a_pupil_has_no_answers(api, quiz):
    body = api.get(f"/api/v1/quizzes/{quiz.pk}/").json()
    assert len(body["questions"]) == 8
    text = str(body)
    for hidden in (
        "is_correct",
        "EXPLANATION-SECRET",
        "MARKING-GUIDE-SECRET",
        "Neodymium\nNd",
        "answer_bool",
        "numeric_answer",
        "FEEDBACK-",
    ):
        assert hidden not in text


def test_start_then_resume(api, quiz):
    first = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
    second = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "in_progress" and "result" not in first.json()


def test_save_is_idempotent_and_resumes_prefilled(api, pupil, quiz):
    attempt = start(api, quiz)
    question = quiz.questions.get(kind=Kind.SHORT_TEXT)
    first = put(api, attempt, question, {"text": "Neodymium"}, revision=1000)
    again = put(api, attempt, question, {"text": "Neodymium"}, revision=1000)
    stale = put(api, attempt, question, {"text": "older"}, revision=999)
    assert first.json()["applied"] and not again.json()["applied"]
    assert not stale.json()["applied"] and stale.json()["revision"] == 1000
    assert Answer.objects.get(attempt=attempt).response == {"text": "Neodymium"}
    # Another device: the attempt comes back with the saved answer and its revision.
    other_device = APIClient()
    other_device.force_authenticate(pupil)
    body = other_device.get(f"/api/v1/attempts/{attempt.pk}/").json()
    saved = next(q for q in body["questions"] if q["id"] == question.pk)
    assert saved["response"] == {"text": "Neodymium"} and saved["revision"] == 1000


def test_every_question_type_round_trips(api, quiz):
    attempt = start(api, quiz)
    answers = right_answers(attempt)
    for question in quiz.questions.all():
        assert put(api, attempt, question, answers[question.pk]).status_code == 200
    body = api.get(f"/api/v1/attempts/{attempt.pk}/").json()
    got = {q["id"]: q["response"] for q in body["questions"]}
    for question in quiz.questions.all():
        expected = answers[question.pk]
        if question.kind == Kind.MULTIPLE:
            assert sorted(got[question.pk]["choices"]) == sorted(expected["choices"])
        else:
            assert got[question.pk] == expected, question.kind


@pytest.mark.parametrize(
    ("kind", "response", "field_text"),
    [
        (Kind.SINGLE, {"choice": "t-not-a-choice"}, "Choose one of the choices"),
        (Kind.SINGLE, {"choice": 1}, "Choose one of the choices"),
        (Kind.MULTIPLE, {"choices": "abc"}, "as a list"),
        (Kind.TRUE_FALSE, {"value": "maybe"}, "true or false"),
        (Kind.NUMERIC, {"value": "twelve"}, "Enter a number"),
        (Kind.NUMERIC, {"value": [1]}, "Enter a number"),
        (Kind.SHORT_TEXT, {"text": 12}, "as text"),
        (Kind.OPEN, {"text": "x" * 5001}, "5,000"),
        (Kind.OPEN, {"text": "before\u0000after"}, "NUL character"),  # jsonb cannot hold it
        (Kind.SHORT_TEXT, {"text": "\u0000"}, "NUL character"),
        (Kind.ORDERING, {"order": ["nope"]}, "only the items"),
        (Kind.MATCHING, {"pairs": {"x": "y"}}, "only the items"),
        (Kind.SHORT_TEXT, "just a string", "as an object"),
    ],
)
def test_wrong_answer_types_are_400_naming_the_field(api, quiz, kind, response, field_text):
    attempt = start(api, quiz)
    question = quiz.questions.get(kind=kind)
    result = put(api, attempt, question, response)
    assert result.status_code == 400
    body = result.json()
    assert body["code"] == "invalid" and field_text in " ".join(body["fields"]["response"])
    assert not Answer.objects.exists()


def test_a_null_character_sent_with_the_submit_is_400_and_submits_nothing(api, quiz):
    attempt = start(api, quiz)
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    response = api.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"answers": {str(short.pk): {"text": "x\u0000"}}},
        format="json",
    )
    assert response.status_code == 400 and "NUL character" in str(response.json()["fields"])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_bad_revision_and_unknown_question(api, quiz, curriculum):
    attempt = start(api, quiz)
    question = quiz.questions.first()
    bad = api.put(
        f"/api/v1/attempts/{attempt.pk}/answers/{question.pk}/",
        {"response": None, "revision": "soon"},
        format="json",
    )
    assert bad.status_code == 400 and "revision" in bad.json()["fields"]
    other = make_quiz(curriculum["lessons"]["t3"][0])
    foreign = other.questions.first()
    assert put(api, attempt, foreign, {"text": "x"}).status_code == 404
    assert (
        api.put(
            f"/api/v1/attempts/{attempt.pk}/answers/999999/",
            {"response": None, "revision": 1},
            format="json",
        ).status_code
        == 404
    )
    submit = api.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"answers": {"999999": {"text": "x"}}},
        format="json",
    )
    assert submit.status_code == 400 and "answers" in submit.json()["fields"]
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_another_pupils_attempt_is_404_for_every_route(api, quiz, other_pupil):
    attempt = start(api, quiz)
    question = quiz.questions.get(kind=Kind.SHORT_TEXT)
    intruder = APIClient()
    intruder.force_authenticate(other_pupil)
    assert intruder.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 404
    assert intruder.get(f"/api/v1/attempts/{attempt.pk}/result/").status_code == 404
    assert put(intruder, attempt, question, {"text": "hijack"}).status_code == 404
    assert (
        intruder.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json").status_code
        == 404
    )
    assert not Answer.objects.exists() and Attempt.objects.get(pk=attempt.pk).is_open


def test_submit_once_then_409_with_the_result(api, quiz):
    attempt = start(api, quiz)
    answers = {str(k): v for k, v in right_answers(attempt).items()}
    assert api.get(f"/api/v1/attempts/{attempt.pk}/result/").status_code == 409
    first = api.post(f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": answers}, format="json")
    second = api.post(f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": answers}, format="json")
    assert first.status_code == 200 and first.json()["score"] == 7
    assert second.status_code == 409 and second.json()["code"] == "already_submitted"
    assert second.json()["result"]["score"] == 7
    late_save = put(api, attempt, quiz.questions.first(), None, revision=10**12)
    assert late_save.status_code == 409 and late_save.json()["code"] == "already_submitted"
    assert api.get(f"/api/v1/attempts/{attempt.pk}/result/").json()["score"] == 7


def test_submitting_after_the_time_limit_is_409_time_up(api, pupil, curriculum, t0):
    quiz = make_quiz(curriculum["lessons"]["t1"][0], kinds=[Kind.SHORT_TEXT], time_limit_minutes=5)
    question = quiz.questions.get()
    with time_machine.travel(t0, tick=False) as clock:
        attempt = start(api, quiz)
        put(api, attempt, question, {"text": "neodymium"})
        clock.move_to(t0 + dt.timedelta(minutes=7))
        late = put(api, attempt, question, {"text": "changed"}, revision=5)
        assert late.status_code == 409 and late.json()["code"] == "time_up"
        assert late.json()["result"]["timed_out"] is True
    assert Answer.objects.get().response == {"text": "neodymium"}


def test_start_with_someone_elses_link_is_404(api, quiz, teacher, pupil, other_pupil):
    classroom = make_class(teacher, [pupil, other_pupil])
    assignment = assign(classroom, quiz.page, [pupil, other_pupil])
    theirs = link_for(assignment, other_pupil)
    response = api.post(
        f"/api/v1/quizzes/{quiz.pk}/attempts/", {"assignment_pupil": theirs.pk}, format="json"
    )
    assert response.status_code == 404
    mine = api.post(
        f"/api/v1/quizzes/{quiz.pk}/attempts/",
        {"assignment_pupil": link_for(assignment, pupil).pk},
        format="json",
    )
    assert mine.status_code == 201 and mine.json()["assignment_pupil"] is not None


@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_non_pupils_cannot_take_quizzes(quiz, teacher, who):
    client = APIClient()
    if who == "teacher":
        client.force_authenticate(teacher)
    response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
    assert response.status_code in (401, 403)
    assert not Attempt.objects.exists()


def test_tokens_differ_between_attempts(pupil, quiz):
    choice = quiz.questions.get(kind=Kind.SINGLE).choices.first()
    assert choice_token(1, choice.pk) != choice_token(2, choice.pk)


def test_tokens_follow_the_secret_key(quiz, settings):
    """Tokens are remembered, but per key: after a key rotation none of the old ones is served."""
    choice = quiz.questions.get(kind=Kind.SINGLE).choices.first()
    before = choice_token(7, choice.pk)
    assert choice_token(7, choice.pk) == before
    settings.SECRET_KEY = "a-rotated-secret-key-that-is-long-enough-2222"
    assert choice_token(7, choice.pk) != before


def test_query_budget_for_save_and_submit(api, quiz, django_assert_num_queries):
    attempt = start(api, quiz)
    answers = {str(k): v for k, v in right_answers(attempt).items()}
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    single = quiz.questions.get(kind=Kind.SINGLE)
    # The usual autosave is one statement (reelearn.quizzes.cache, answers.answer_save_fast):
    # the attempt's quiz and seed, the questions and the choices come from the cache the start
    # filled in this process.
    with django_assert_num_queries(1):
        put(api, attempt, short, {"text": "x"})
    with django_assert_num_queries(1):  # the same answer again: the same statement
        put(api, attempt, short, {"text": "y"}, revision=2)
    with django_assert_num_queries(1):
        put(api, attempt, single, answers[str(single.pk)])
    # a stale revision: the statement writes nothing, so the careful path says why: savepoint,
    # lock, the stored answer, release
    with django_assert_num_queries(5):
        stale = put(api, attempt, short, {"text": "z"}, revision=1).json()
    assert (stale["applied"], stale["revision"]) == (False, 2)
    # attempt (to read the answers sent), savepoint, lock, answers, insert, update, answers
    # (grading), grade, close, turn-in (none here), release; questions and choices come from the
    # cache and the result reuses what grading read — the same for 8 questions as for 80.
    with django_assert_num_queries(10):
        assert (
            api.post(
                f"/api/v1/attempts/{attempt.pk}/submit/", {"answers": answers}, format="json"
            ).status_code
            == 200
        )


def test_start_without_a_link_uses_the_pupils_assignment(api, quiz, teacher, pupil):
    """An assigned quiz is taken under its assignment and settings: no "practice" attempt that
    would show the key the teacher holds back until the due date."""
    classroom = make_class(teacher, [pupil])
    assignment = assign(
        classroom, quiz.page, [pupil], due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    )
    response = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["assignment_pupil"] == link_for(assignment, pupil).pk


def test_start_before_the_assignment_opens_is_refused(api, quiz, teacher, pupil):
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, quiz.page, [pupil])
    assignment.open_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assignment.save(update_fields=["open_at"])
    response = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json")
    assert response.status_code == 400
    assert "opens on" in response.json()["detail"]
    assert not Attempt.objects.exists()
