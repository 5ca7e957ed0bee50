"""When feedback and correct answers show, and that keys never reach a pupil earlier.

Every pupil-reachable response is searched for the key: lesson page (quiz slot), quiz page,
attempt page (its HTML carries the data JavaScript reads), result page and the API.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from reelearn.quizzes import attempts
from reelearn.quizzes.models import Attempt, Question
from reelearn.quizzes.policy import policy_resolve
from reelearn.quizzes.visibility import attempt_visibility

from .factories import add_question, assign, link_for, make_class, make_quiz, right_answers

Kind = Question.Kind
SECRETS = (
    "EXPLANATION-SECRET",
    "MARKING-GUIDE-SECRET",
    "ACCEPTED-SECRET",
    "98765",
    "FEEDBACK-RIGHT",
    "FEEDBACK-WRONG",
    "(correct answer)",
    "correct_options",
    "is_correct",
    "Correct answer:",
)


@pytest.mark.parametrize(
    ("feedback", "answers", "submitted", "due_passed", "expected"),
    [
        # feedback timing, answers timing, attempt submitted?, due date passed? → (fb, key, checked)
        ("immediate", "never", False, False, (False, False, True)),
        ("immediate", "never", True, False, (True, False, True)),
        ("immediate", "after_submit", True, False, (True, True, True)),
        ("after_submit", "never", False, False, (False, False, False)),
        ("after_submit", "never", True, False, (True, False, True)),
        ("after_submit", "after_submit", True, False, (True, True, True)),
        ("after_submit", "after_due", True, False, (True, False, True)),
        ("after_submit", "after_due", True, True, (True, True, True)),
        ("after_due", "never", True, False, (False, False, False)),
        ("after_due", "never", True, True, (True, False, True)),
        ("after_due", "after_due", True, False, (False, False, False)),
        ("after_due", "after_due", True, True, (True, True, True)),
        ("after_due", "after_submit", True, False, (True, True, True)),  # answers imply feedback
        ("after_due", "after_due", False, True, (False, False, False)),  # open: never
    ],
)
def test_visibility_matrix(
    teacher, pupil, lesson, feedback, answers, submitted, due_passed, expected, t0
):
    quiz = make_quiz(
        lesson, kinds=[Kind.TRUE_FALSE], feedback_timing=feedback, answers_timing=answers
    )
    classroom = make_class(teacher, [pupil])
    due = t0 - dt.timedelta(hours=1) if due_passed else t0 + dt.timedelta(hours=1)
    assignment = assign(classroom, lesson, [pupil], due_at=due, open_at=t0 - dt.timedelta(days=2))
    link = link_for(assignment, pupil)
    attempt = Attempt(
        quiz=quiz,
        pupil=pupil,
        assignment_pupil=link,
        status="submitted" if submitted else "in_progress",
    )
    policy = policy_resolve(quiz=quiz, link=link)
    visibility = attempt_visibility(attempt=attempt, policy=policy, now=t0)
    assert (visibility.feedback, visibility.answers, visibility.checked_feedback) == expected


def test_assignment_settings_override_the_quiz(teacher, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE], answers_timing="never")
    classroom = make_class(teacher, [pupil])
    assignment = assign(
        classroom,
        lesson,
        [pupil],
        quiz_settings={
            "answers_timing": "after_submit",
            "grading_method": "bogus",
            "time_limit_minutes": 20,
        },
    )
    policy = policy_resolve(quiz=quiz, link=link_for(assignment, pupil))
    assert policy.answers_timing == "after_submit"
    assert policy.grading_method == quiz.grading_method  # invalid values are ignored
    assert policy.time_limit_minutes == 20


@pytest.fixture
def secret_quiz(lesson):
    quiz = make_quiz(
        lesson,
        kinds=[
            Kind.SINGLE,
            Kind.MULTIPLE,
            Kind.ORDERING,
            Kind.MATCHING,
            Kind.TRUE_FALSE,
            Kind.OPEN,
        ],
        feedback_timing="after_due",
        answers_timing="after_due",
    )
    add_question(quiz, Kind.SHORT_TEXT, 10, accepted_answers="ACCEPTED-SECRET")
    add_question(quiz, Kind.NUMERIC, 11, numeric_answer=Decimal("98765.4321"))
    quiz.save_revision().publish()
    return quiz


def pupil_pages(client, attempt, lesson) -> list[str]:
    pages = [
        client.get(lesson.url).content.decode(),
        client.get(reverse("quizzes:quiz", args=[attempt.quiz_id])).content.decode(),
        client.get(reverse("quizzes:attempt", args=[attempt.pk]), follow=True).content.decode(),
        client.get(reverse("quizzes:result", args=[attempt.pk]), follow=True).content.decode(),
    ]
    for url in (
        f"/api/v1/quizzes/{attempt.quiz_id}/",
        f"/api/v1/attempts/{attempt.pk}/",
        f"/api/v1/attempts/{attempt.pk}/result/",
    ):
        pages.append(json.dumps(client.get(url).json()))
    for name in ("quizzes:submit-review", "quizzes:practice"):  # practice: only once released
        pages.append(client.get(reverse(name, args=[attempt.pk]), follow=True).content.decode())
    return pages


def assert_no_secret(pages: list[str]) -> None:
    for text in pages:
        for secret in SECRETS:
            assert secret not in text, secret


def test_answer_keys_absent_everywhere_until_the_due_date(
    client, teacher, pupil, lesson, secret_quiz, t0
):
    classroom = make_class(teacher, [pupil])
    with time_machine.travel(t0, tick=False) as clock:
        assignment = assign(classroom, lesson, [pupil], due_at=t0 + dt.timedelta(hours=1))
        client.force_login(pupil)
        client.post(
            reverse("quizzes:start", args=[secret_quiz.pk]),
            {"link": link_for(assignment, pupil).pk},
        )
        attempt = Attempt.objects.get()
        # While open: nothing.
        assert_no_secret(pupil_pages(client, attempt, lesson))
        answers = right_answers(attempt)
        for question in secret_quiz.questions.all():  # the typed ones wrong: no key in them
            if question.kind == Kind.SHORT_TEXT:
                answers[question.pk] = {"text": "a guess"}
            if question.kind == Kind.NUMERIC:
                answers[question.pk] = {"value": "12"}
            put = client.put(
                f"/api/v1/attempts/{attempt.pk}/answers/{question.pk}/",
                {"response": answers[question.pk], "revision": 1},
                content_type="application/json",
            )
            assert put.status_code == 200
            assert_no_secret([put.content.decode()])
        submit = client.post(
            f"/api/v1/attempts/{attempt.pk}/submit/", {}, content_type="application/json"
        )
        assert submit.status_code == 200
        body = submit.json()
        assert body["score"] is None and body["feedback_visible"] is False
        # Submitted, before the due date: still nothing, and no score.
        pages = pupil_pages(client, attempt, lesson)
        assert_no_secret([submit.content.decode(), *pages])
        assert "How you did" not in pages[3] and "show here after the due date" in pages[3]
        # After the due date: feedback and keys, but never the teachers' marking guide.
        clock.move_to(t0 + dt.timedelta(hours=2))
        pages = pupil_pages(client, attempt, lesson)
        result_html, result_api = pages[3], pages[6]
        assert "EXPLANATION-SECRET" in result_html and "ACCEPTED-SECRET" in result_html
        assert "98765.4321" in result_html and "How you did" in result_html
        assert "correct_options" in result_api and "ACCEPTED-SECRET" in result_api
        assert all("MARKING-GUIDE-SECRET" not in page for page in pages)


def test_ordering_and_matching_orders_come_from_each_attempts_secret(client, pupil, lesson):
    """Items to order and right-hand pairs are shuffled per attempt from a secret: the orders
    differ between attempts, and no order is ruled out (an order that is never the key would
    give a two-item key away)."""
    quiz = make_quiz(lesson, kinds=[Kind.ORDERING, Kind.MATCHING], attempts_allowed=0)
    client.force_login(pupil)
    item_orders, right_orders = set(), set()
    for _ in range(8):  # several attempts, several seeds
        attempt, _created = attempts.attempt_start(quiz=quiz, pupil=pupil)
        html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
        items = [
            html.index(f">{text}</label>")
            for text in ("mine", "separate", "make metal", "make magnet")
        ]
        item_orders.add(tuple(sorted(range(4), key=items.__getitem__)))
        rights = [
            html.index(f">{text}</option>") for text in ("Magnets", "Red light", "Polishing glass")
        ]
        right_orders.add(tuple(sorted(range(3), key=rights.__getitem__)))
        attempts.attempt_submit(attempt=attempt)
    assert len(item_orders) > 1 and len(right_orders) > 1


def test_immediate_feedback_shows_only_for_checked_questions(client, pupil, lesson):
    quiz = make_quiz(
        lesson,
        kinds=[Kind.SINGLE, Kind.TRUE_FALSE],
        feedback_timing="immediate",
        answers_timing="never",
    )
    single = quiz.questions.get(kind=Kind.SINGLE)
    client.force_login(pupil)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    answers = right_answers(attempt)
    put = client.put(
        f"/api/v1/attempts/{attempt.pk}/answers/{single.pk}/",
        {"response": answers[single.pk], "revision": 5, "check": True},
        content_type="application/json",
    )
    body = put.json()
    assert body["locked"] and body["question_state"]["feedback"]["is_correct"] is True
    assert "key" not in body["question_state"]  # feedback, not the key
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "FEEDBACK-RIGHT" in html and "EXPLANATION-SECRET" not in html
    assert html.count('class="q-feedback') == 1
