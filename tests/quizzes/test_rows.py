"""The quiz's compiled reads (reelearn.quizzes.rows, reelearn.core.db.prepared) give what the
ORM gives, and the one-row writes store what save() stores. They lean on two methods of
Django's SQL compiler: these tests are the alarm if an upgrade changes them."""

from __future__ import annotations

import pytest
from django.db import transaction

from reelearn.classroom.models import AssignmentPupil
from reelearn.core.db.prepared import PreparedQuery, row_update
from reelearn.quizzes import attempts, rows
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.models import Answer, Attempt, Quiz

from .factories import make_quiz, right_answers

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def answered(attempt) -> None:
    questions = {q.pk: q for q in attempt.quiz.questions.prefetch_related("choices")}
    attempts.attempt_answers_save(
        attempt=attempt,
        answers=[
            (
                questions[pk],
                response_from_client(
                    questions[pk],
                    value,
                    seed=attempt.seed,
                    choices=list(questions[pk].choices.all()),
                ),
            )
            for pk, value in right_answers(attempt).items()
        ],
    )


def test_a_locked_attempt_comes_with_its_quiz_link_and_assignment(pupil, quiz, assignment):
    link = AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    answered(attempt)
    attempts.attempt_submit(attempt=attempt)  # scores, times and flags filled in
    orm = Attempt.objects.select_related("quiz", "assignment_pupil__assignment").get(pk=attempt.pk)
    with transaction.atomic():
        locked = rows.attempt_locked(attempt.pk, pupil_id=pupil.pk)
    assert fields(locked) == fields(orm)
    assert fields(locked.quiz) == fields(orm.quiz)
    assert fields(locked.assignment_pupil) == fields(orm.assignment_pupil)
    assert fields(locked.assignment_pupil.assignment) == fields(orm.assignment_pupil.assignment)


def test_a_practice_attempt_has_no_link_and_others_are_not_found(pupil, other_pupil, quiz):
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    with transaction.atomic():
        assert rows.attempt_locked(attempt.pk).assignment_pupil is None
        with pytest.raises(Attempt.DoesNotExist):
            rows.attempt_locked(attempt.pk, pupil_id=other_pupil.pk)


def test_answers_are_read_as_the_orm_reads_them(pupil, quiz):
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    answered(attempt)
    orm = {a.pk: fields(a) for a in Answer.objects.filter(attempt=attempt)}
    assert len(orm) > 3
    assert {a.pk: fields(a) for a in rows.attempt_answers(attempt.pk)} == orm


def test_only_a_live_quiz_is_found_with_its_page_path(quiz, lesson):
    found = rows.live_quiz(quiz.pk)
    assert fields(found) == fields(Quiz.objects.get(pk=quiz.pk))
    assert found.page_path == lesson.path
    draft = make_quiz(lesson.get_parent().specific, title="Draft", publish=False)
    with pytest.raises(Quiz.DoesNotExist):
        rows.live_quiz(draft.pk)


def test_a_link_is_found_for_its_own_pupil_only(pupil, other_pupil, assignment, lesson):
    link = AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)
    found = rows.pupil_link(link_id=link.pk, pupil_id=pupil.pk)
    assert fields(found) == fields(link)
    assert fields(found.assignment) == fields(assignment)
    assert found.page_path == lesson.path
    with pytest.raises(AssignmentPupil.DoesNotExist):
        rows.pupil_link(link_id=link.pk, pupil_id=other_pupil.pk)


def test_the_written_rows_are_what_save_would_write(pupil, quiz):
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)  # inserted by row_insert
    assert attempt.pk and not attempt._state.adding
    assert fields(Attempt.objects.get(pk=attempt.pk)) == fields(attempt)
    attempt.number, attempt.needs_marking = 7, True
    assert row_update(attempt, ["number", "needs_marking"]) == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.number, stored.needs_marking) == (7, True)


def test_a_query_must_use_every_id_it_is_given(quiz):
    fixed = PreparedQuery(lambda quiz_id: Quiz.objects.filter(pk=quiz.pk).values_list("pk"))
    with pytest.raises(ValueError, match="Each id"):
        fixed.rows(quiz.pk)
