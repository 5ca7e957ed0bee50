"""The services the quizzes app calls: start and turn in, idempotent and conditional."""

from __future__ import annotations

import pytest

from reelearn.classroom.models import AssignmentPupil, LessonProgress
from reelearn.classroom.services import (
    assignment_pupil_return,
    assignment_pupil_start,
    assignment_pupil_turn_in,
    lesson_progress_complete,
    lesson_progress_open,
)

from .factories import make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(classroom, pupil, curriculum):
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    return AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)


def test_starting_moves_not_started_to_in_progress_once(link):
    assignment_pupil_start(link=link)
    link.refresh_from_db()
    first = link.started_at
    assert link.status == AssignmentPupil.Status.IN_PROGRESS and first is not None
    assignment_pupil_start(link=link)
    link.refresh_from_db()
    assert link.started_at == first


def test_starting_after_turning_in_changes_nothing(link):
    assignment_pupil_turn_in(link=link)
    assignment_pupil_start(link=AssignmentPupil.objects.get(pk=link.pk))
    assert AssignmentPupil.objects.get(pk=link.pk).status == AssignmentPupil.Status.TURNED_IN


def test_turning_in_twice_keeps_the_first_time(link):
    assignment_pupil_turn_in(link=link)
    first = AssignmentPupil.objects.get(pk=link.pk).turned_in_at
    assignment_pupil_turn_in(link=AssignmentPupil.objects.get(pk=link.pk))
    again = AssignmentPupil.objects.get(pk=link.pk)
    assert again.status == AssignmentPupil.Status.TURNED_IN
    assert again.turned_in_at == first and again.started_at is not None


def test_a_stale_link_object_cannot_undo_a_return(link):
    stale = AssignmentPupil.objects.get(pk=link.pk)
    assignment_pupil_turn_in(link=link)
    assert assignment_pupil_return(link=link)
    assignment_pupil_turn_in(link=stale)  # in memory it still says "not started"
    assert AssignmentPupil.objects.get(pk=link.pk).status == AssignmentPupil.Status.RETURNED


def test_returning_needs_a_turned_in_link(link):
    assert not assignment_pupil_return(link=link)
    assert AssignmentPupil.objects.get(pk=link.pk).status == AssignmentPupil.Status.NOT_STARTED


def test_opening_a_lesson_is_one_row_and_starts_its_module_assignment(link, pupil, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    parent = curriculum["tier_pages"]["t1"]
    assert lesson_progress_open(pupil=pupil, page_id=lesson.pk, parent_path=parent.path)
    assert not lesson_progress_open(pupil=pupil, page_id=lesson.pk, parent_path=parent.path)
    assert LessonProgress.objects.filter(pupil=pupil, page=lesson).count() == 1
    assert AssignmentPupil.objects.get(pk=link.pk).status == AssignmentPupil.Status.IN_PROGRESS


def test_completing_a_lesson_keeps_the_first_completion(pupil, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    lesson_progress_complete(pupil=pupil, page_id=lesson.pk)
    first = LessonProgress.objects.get(pupil=pupil, page=lesson).completed_at
    lesson_progress_complete(pupil=pupil, page_id=lesson.pk)
    assert LessonProgress.objects.get(pupil=pupil, page=lesson).completed_at == first
