"""Starting, saving, submitting, time limits, regrading, marking and paper marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from reelearn.classroom.models import AssignmentPupil
from reelearn.quizzes import attempts, errors, marking
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.models import RIGHT, Answer, Attempt, Question
from reelearn.quizzes.tasks import attempts_close_expired_task

from .factories import assign, link_for, make_class, make_quiz, right_answers, tok

Kind = Question.Kind


def stored(attempt, question, client_response):
    return response_from_client(
        question, client_response, seed=attempt.seed, choices=list(question.choices.all())
    )


def save(attempt, question, client_response, revision=None, check=False):
    return attempts.attempt_answers_save(
        attempt=attempt,
        answers=[(question, stored(attempt, question, client_response))],
        revision=revision,
        check=frozenset({question.pk}) if check else frozenset(),
    )[0]


def test_start_resumes_the_open_attempt(pupil, quiz):
    first, created = attempts.attempt_start(quiz=quiz, pupil=pupil)
    again, created_again = attempts.attempt_start(quiz=quiz, pupil=pupil)
    assert created and not created_again and first == again
    assert first.seed and first.max_score == 11


def test_stale_revisions_never_overwrite_newer_answers(pupil, quiz):
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    question = quiz.questions.get(kind=Kind.SHORT_TEXT)
    assert save(attempt, question, {"text": "new"}, revision=200).applied
    late = save(attempt, question, {"text": "old"}, revision=100)
    repeat = save(attempt, question, {"text": "new"}, revision=200)
    assert not late.applied and not repeat.applied
    answer = Answer.objects.get(attempt=attempt, question=question)
    assert answer.response == {"text": "new"} and answer.revision == 200


@pytest.mark.parametrize(
    ("offset", "closes"),
    [
        (dt.timedelta(minutes=10), False),
        (dt.timedelta(minutes=10, seconds=5), False),  # within the grace period
        (dt.timedelta(minutes=10, seconds=6), True),
    ],
)
def test_time_limit_with_a_frozen_clock(pupil, lesson, offset, closes, t0):
    quiz = make_quiz(lesson, kinds=[Kind.SHORT_TEXT, Kind.TRUE_FALSE], time_limit_minutes=10)
    short = quiz.questions.get(kind=Kind.SHORT_TEXT)
    tf = quiz.questions.get(kind=Kind.TRUE_FALSE)
    with time_machine.travel(t0, tick=False) as clock:
        attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
        assert attempt.deadline_at == t0 + dt.timedelta(minutes=10)
        save(attempt, short, {"text": "Nd"})
        clock.move_to(t0 + offset)
        if closes:
            with pytest.raises(errors.TimeUp):
                save(attempt, tf, {"value": True})
            result = attempts.attempt_submit(
                attempt=attempt, answers=[(tf, stored(attempt, tf, {"value": True}))]
            )
            assert not result.submitted_now  # closed by the refused save already
        else:
            save(attempt, tf, {"value": True})
    attempt.refresh_from_db()
    assert attempt.is_open is not closes
    if closes:
        assert attempt.timed_out and attempt.submitted_at == attempt.deadline_at
        assert attempt.score == 1  # only the answer saved in time
        assert not Answer.objects.filter(attempt=attempt, question=tf).exists()


def test_submitting_after_the_time_limit_keeps_only_saved_answers(pupil, lesson, t0):
    quiz = make_quiz(lesson, kinds=[Kind.SHORT_TEXT, Kind.TRUE_FALSE], time_limit_minutes=5)
    short, tf = quiz.questions.order_by("sort_order")
    with time_machine.travel(t0, tick=False) as clock:
        attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
        save(attempt, short, {"text": "Nd"})
        clock.move_to(t0 + dt.timedelta(minutes=6))
        result = attempts.attempt_submit(
            attempt=attempt, answers=[(tf, stored(attempt, tf, {"value": True}))]
        )
    assert result.submitted_now and result.timed_out
    assert result.attempt.score == 1
    assert list(Answer.objects.filter(attempt=attempt).values_list("question", flat=True)) == [
        short.pk
    ]


def test_extra_time_for_one_pupil(pupil, other_pupil, lesson, teacher, t0):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE], time_limit_minutes=10)
    classroom = make_class(teacher, [pupil, other_pupil])
    assignment = assign(classroom, lesson, [pupil, other_pupil])
    AssignmentPupil.objects.filter(assignment=assignment, pupil=pupil).update(extra_time_minutes=15)
    with time_machine.travel(t0, tick=False):
        mine, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link_for(assignment, pupil))
        theirs, _ = attempts.attempt_start(
            quiz=quiz, pupil=other_pupil, link=link_for(assignment, other_pupil)
        )
    assert mine.deadline_at == t0 + dt.timedelta(minutes=25)
    assert theirs.deadline_at == t0 + dt.timedelta(minutes=10)


def test_sweep_task_closes_abandoned_attempts_once(pupil, other_pupil, lesson, t0):
    quiz = make_quiz(lesson, kinds=[Kind.SHORT_TEXT], time_limit_minutes=10)
    untimed = make_quiz(lesson.get_parent().specific, kinds=[Kind.SHORT_TEXT])
    with time_machine.travel(t0, tick=False) as clock:
        abandoned, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
        save(abandoned, quiz.questions.get(), {"text": "neodymium"})
        clock.move_to(t0 + dt.timedelta(minutes=5))
        fresh, _ = attempts.attempt_start(quiz=quiz, pupil=other_pupil)
        open_ended, _ = attempts.attempt_start(quiz=untimed, pupil=pupil)
        clock.move_to(t0 + dt.timedelta(minutes=11))
        assert attempts_close_expired_task.delay().get() == 1
        assert attempts_close_expired_task() == 0  # a second run closes nothing
    abandoned.refresh_from_db()
    assert abandoned.status == "submitted" and abandoned.timed_out and abandoned.score == 1
    assert Attempt.objects.get(pk=fresh.pk).is_open
    assert Attempt.objects.get(pk=open_ended.pk).is_open


def test_sweep_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["quizzes-close-expired-attempts"]
    assert schedule["task"] == attempts_close_expired_task.name


def test_immediate_feedback_checks_and_locks_an_answer(pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE], feedback_timing="immediate")
    question = quiz.questions.get()
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    result = save(attempt, question, {"choice": tok(attempt, "Five", question)}, check=True)
    assert result.answer.checked_at and result.answer.score == 0
    again = save(
        attempt, question, {"choice": tok(attempt, "Seventeen", question)}, revision=10**13
    )
    assert again.locked and not again.applied
    assert Answer.objects.get(attempt=attempt).score == 0


def test_check_is_ignored_when_feedback_is_not_immediate(pupil, quiz):
    question = quiz.questions.get(kind=Kind.SINGLE)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    result = save(attempt, question, {"choice": tok(attempt, "Five", question)}, check=True)
    assert result.answer.checked_at is None and result.answer.score is None


def test_marking_an_open_answer_updates_the_total(pupil, teacher, quiz):
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    answers = right_answers(attempt)
    pairs = [(q, stored(attempt, q, answers[q.pk])) for q in quiz.questions.all()]
    attempts.attempt_submit(attempt=attempt, answers=pairs)
    attempt.refresh_from_db()
    assert attempt.score == 7 and attempt.needs_marking
    answer = Answer.objects.get(attempt=attempt, question__kind=Kind.OPEN)
    with pytest.raises(ValidationError) as error:
        marking.answer_mark(answer=answer, teacher=teacher, score="5")
    assert "score" in error.value.message_dict
    marking.answer_mark(answer=answer, teacher=teacher, score="3.5", comment="Good reasons.")
    attempt.refresh_from_db()
    assert attempt.score == Decimal("10.5") and not attempt.needs_marking
    auto = Answer.objects.get(attempt=attempt, question__kind=Kind.SINGLE)
    with pytest.raises(ValidationError):
        marking.answer_mark(answer=auto, teacher=teacher, score=0)


def test_regrading_after_a_corrected_key_is_idempotent(pupil, other_pupil, quiz):
    question = quiz.questions.get(kind=Kind.SINGLE)
    for who, pick in ((pupil, "Five"), (other_pupil, "Seventeen")):
        attempt, _ = attempts.attempt_start(quiz=quiz, pupil=who)
        attempts.attempt_submit(
            attempt=attempt,
            answers=[
                (question, stored(attempt, question, {"choice": tok(attempt, pick, question)}))
            ],
        )
    assert marking.quiz_regrade(quiz=quiz) == 0  # nothing wrong yet
    # An editor finds the key was wrong: "Five" was meant.
    question.choices.update(is_correct=False)
    question.choices.filter(text="Five").update(is_correct=True)
    assert marking.quiz_regrade(quiz=quiz) == 2
    assert marking.quiz_regrade(quiz=quiz) == 0
    scores = dict(Attempt.objects.values_list("pupil__username", "score"))
    assert scores == {"pupil": 1, "otherpupil": 0}


def test_a_submit_stores_every_answers_own_score(pupil, lesson):
    """Full, partial and no credit in one submit: the scores are written together (one
    statement on PostgreSQL), and each answer keeps its own."""
    quiz = make_quiz(
        lesson, kinds=[Kind.SINGLE, Kind.MATCHING, Kind.SHORT_TEXT, Kind.TRUE_FALSE, Kind.OPEN]
    )
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    questions = {q.kind: q for q in quiz.questions.prefetch_related("choices")}
    pairs = list(questions[Kind.MATCHING].choices.all())
    sent = right_answers(attempt)
    matched = {0: 0, 1: 2, 2: 1}  # one pair of three right
    sent[questions[Kind.MATCHING].pk] = {
        "pairs": {
            tok(attempt, pairs[left]): tok(attempt, pairs[right], side=RIGHT)
            for left, right in matched.items()
        }
    }
    sent[questions[Kind.SHORT_TEXT].pk] = {"text": "Iron"}
    by_id = {q.pk: q for q in questions.values()}
    attempts.attempt_submit(
        attempt=attempt,
        answers=[(by_id[pk], stored(attempt, by_id[pk], answer)) for pk, answer in sent.items()],
    )
    scores = {
        a.question.kind: (a.score, a.is_correct)
        for a in Answer.objects.filter(attempt=attempt).select_related("question")
    }
    assert scores == {
        Kind.SINGLE: (1, True),
        Kind.MATCHING: (Decimal("0.33"), False),
        Kind.SHORT_TEXT: (0, False),
        Kind.TRUE_FALSE: (1, True),
        Kind.OPEN: (None, None),
    }
    attempt.refresh_from_db()
    assert attempt.score == Decimal("2.33") and attempt.needs_marking


def test_paper_marks_create_one_paper_attempt_and_validate_first(
    teacher, pupil, other_pupil, lesson
):
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.OPEN])
    single, open_ = quiz.questions.order_by("sort_order")
    classroom = make_class(teacher, [pupil, other_pupil])
    assignment = assign(classroom, lesson, [pupil, other_pupil])
    mine, theirs = link_for(assignment, pupil), link_for(assignment, other_pupil)
    with pytest.raises(ValidationError) as error:
        marking.paper_marks_save(
            assignment=assignment,
            quiz=quiz,
            teacher=teacher,
            marks={
                mine.pk: {single.pk: "1", open_.pk: "3"},
                theirs.pk: {single.pk: "2", open_.pk: "x"},
            },
        )
    assert set(error.value.message_dict) == {
        f"mark-{theirs.pk}-{single.pk}",
        f"mark-{theirs.pk}-{open_.pk}",
    }
    assert not Attempt.objects.exists()
    marks = {mine.pk: {single.pk: "1", open_.pk: "3"}, theirs.pk: {single.pk: "", open_.pk: ""}}
    assert (
        marking.paper_marks_save(assignment=assignment, quiz=quiz, teacher=teacher, marks=marks)
        == 1
    )
    marks[mine.pk][open_.pk] = "2.5"
    marking.paper_marks_save(assignment=assignment, quiz=quiz, teacher=teacher, marks=marks)
    attempt = Attempt.objects.get()
    assert attempt.is_paper and attempt.status == "submitted" and attempt.score == Decimal("3.5")
    assert attempt.answers.count() == 2
    mine.refresh_from_db()
    assert mine.status == AssignmentPupil.Status.TURNED_IN


def test_attempt_numbers_and_limits_per_assignment(pupil, lesson, teacher):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE], attempts_allowed=1)
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, lesson, [pupil], quiz_settings={"attempts_allowed": 2})
    link = link_for(assignment, pupil)
    for number in (1, 2):
        attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
        assert attempt.number == number
        attempts.attempt_submit(attempt=attempt)
    with pytest.raises(errors.NoAttemptsLeft):
        attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    AssignmentPupil.objects.filter(pk=link.pk).update(extra_attempts=1)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link_for(assignment, pupil))
    assert attempt.number == 3


def test_a_link_outside_the_quiz_is_refused(pupil, teacher, curriculum, quiz):
    other_lesson = curriculum["lessons"]["t3"][0]
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, other_lesson, [pupil])
    with pytest.raises(errors.NotAvailable):
        attempts.attempt_start(quiz=quiz, pupil=pupil, link=link_for(assignment, pupil))


def test_closed_attempt_refuses_saves(pupil, quiz):
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    attempts.attempt_submit(attempt=attempt)
    with pytest.raises(errors.AttemptClosed):
        save(attempt, quiz.questions.get(kind=Kind.SHORT_TEXT), {"text": "late"})
    assert not Answer.objects.exists()
    assert Attempt.objects.get().submitted_at <= timezone.now()
