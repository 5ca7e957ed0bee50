"""Turning in means something: the pupil sees what is left, unfinished work asks first (without
JavaScript), what was done is recorded for the teacher, and a double click counts once."""

from __future__ import annotations

import pytest

from reelearn.classroom import services
from reelearn.classroom.models import AssignmentPupil
from reelearn.quizzes import attempts
from reelearn.quizzes.models import Question

from ..quizzes.factories import make_quiz
from .factories import make_assignment

pytestmark = pytest.mark.django_db
Kind = Question.Kind


@pytest.fixture
def work(classroom, pupil, curriculum):
    tier_page = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(tier_page, title="Magnets quiz", kinds=[Kind.TRUE_FALSE])
    assignment = make_assignment(classroom, tier_page, title="Rare earths")
    link = AssignmentPupil.objects.select_related("pupil", "assignment").get(assignment=assignment)
    return {"link": link, "quiz": quiz, "lessons": curriculum["lessons"]["t1"]}


def test_the_assignment_page_has_an_h1_a_unique_title_and_what_is_left(client, pupil, work):
    client.force_login(pupil)
    services.lesson_progress_complete(pupil=pupil, page_id=work["lessons"][0].pk)
    page = client.get(f"/my-work/{work['link'].pk}/").content.decode()
    assert "<h1>Rare earths</h1>" in page
    assert "<title>Rare earths · 7R Science · REElearn</title>" in page
    assert "Lessons read: 1 of 2." in page and "Quiz done: 0 of 1." in page
    assert "Still to do:" in page and "1 lesson" in page and "1 quiz" in page


def test_turning_in_unfinished_work_asks_first_and_records_what_was_done(
    client, pupil, work, teacher, classroom
):
    link = work["link"]
    lesson = work["lessons"][0]
    services.lesson_progress_complete(
        pupil=pupil, page_id=lesson.pk, parent_path=lesson.path[: -lesson.steplen]
    )
    client.force_login(pupil)
    ask = client.post(f"/my-work/{link.pk}/turn-in/")
    page = ask.content.decode()
    assert ask.status_code == 200 and "<h1>Turn in “Rare earths” now?</h1>" in page
    assert "Lesson “Lesson 2 (t1)”: not opened" in page
    assert "Quiz “Magnets quiz”: not handed in" in page
    assert 'name="confirm" value="yes"' in page  # a plain form: no JavaScript needed
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.IN_PROGRESS  # nothing turned in yet

    done = client.post(f"/my-work/{link.pk}/turn-in/", {"confirm": "yes"}, follow=True)
    text = done.content.decode()
    assert "Well done" not in text and "“Rare earths” is turned in." in text
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.TURNED_IN
    assert link.turned_in_work == {
        "lessons_done": 1,
        "lessons_total": 2,
        "quizzes_done": 0,
        "quizzes_total": 1,
    }
    client.force_login(teacher)
    grid = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert '<span class="cell-work">1/2 lessons · quiz not done</span>' in grid
    assert '<span class="status status-warn">Turned in unfinished</span>' in grid  # not green


def test_finished_work_turns_in_at_once_with_well_done(client, pupil, work):
    link = work["link"]
    for lesson in work["lessons"]:
        services.lesson_progress_complete(pupil=pupil, page_id=lesson.pk)
    attempt, _ = attempts.attempt_start(quiz=work["quiz"], pupil=pupil, link=link)
    attempts.attempt_submit(attempt=attempt)
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.IN_PROGRESS  # the quiz alone turns nothing in
    client.force_login(pupil)
    response = client.post(f"/my-work/{link.pk}/turn-in/", follow=True)
    assert "Well done! “Rare earths” is turned in." in response.content.decode()
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.TURNED_IN
    assert link.turned_in_work["quizzes_done"] == 1


def test_a_double_clicked_turn_in_counts_once(client, pupil, work):
    link = work["link"]
    client.force_login(pupil)
    client.post(f"/my-work/{link.pk}/turn-in/", {"confirm": "yes"})
    first = AssignmentPupil.objects.get(pk=link.pk).turned_in_at
    again = client.post(f"/my-work/{link.pk}/turn-in/", {"confirm": "yes"}, follow=True)
    assert "already turned in" in again.content.decode()
    assert AssignmentPupil.objects.get(pk=link.pk).turned_in_at == first
    # The service itself: a stale copy still turns in once.
    assert services.assignment_pupil_turn_in(link=link) is False


def test_someone_elses_assignment_cannot_be_turned_in(client, other_pupil, work):
    client.force_login(other_pupil)
    response = client.post(f"/my-work/{work['link'].pk}/turn-in/", {"confirm": "yes"})
    assert response.status_code == 404
    assert AssignmentPupil.objects.get(pk=work["link"].pk).status == "not_started"
