"""Results one click away: the class's Results tab, what each grid cell says was done, the
assignment page's results, and the teacher's home across classes (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reelearn.classroom import services
from reelearn.classroom.models import AssignmentPupil, Membership
from reelearn.quizzes import attempts
from reelearn.quizzes.models import Question

from ..factories import make_curriculum
from ..quizzes.factories import make_quiz
from .factories import ClassroomFactory, add_pupils, make_assignment

pytestmark = pytest.mark.django_db
Kind = Question.Kind


def submit(quiz, link, *, right: bool = True, open_text: str = "Magnets need them."):
    """A pupil's attempt through the real engine: the true/false answered (right or wrong)
    and the open question answered, left for the teacher to mark."""
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=link.pupil, link=link)
    given = []
    for question in quiz.questions.all():
        if question.kind == Kind.TRUE_FALSE:
            given.append((question, {"value": right}))
        elif question.kind == Kind.OPEN:
            given.append((question, {"text": open_text}))
    attempts.attempt_submit(attempt=attempt, answers=given)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def module(curriculum):
    """The t1 module-tier (two lessons) with a quiz of a 1-point and a 4-point question."""
    tier_page = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(tier_page, title="Magnets quiz", kinds=[Kind.TRUE_FALSE, Kind.OPEN])
    return {"page": tier_page, "quiz": quiz, "lessons": curriculum["lessons"]["t1"]}


def test_every_class_page_has_a_results_tab_leading_to_the_results(client, teacher, classroom):
    client.force_login(teacher)
    for url in (f"/classes/{classroom.pk}/", f"/classes/{classroom.pk}/groups/"):
        page = client.get(url).content.decode()
        assert f'<a href="/classes/{classroom.pk}/gradebook/">Results</a>' in page, url
    results = client.get(f"/classes/{classroom.pk}/gradebook/").content.decode()
    assert (
        f'<a href="/classes/{classroom.pk}/gradebook/" aria-current="page">Results</a>' in results
    )
    assert "<title>Results: 7R Science · REElearn</title>" in results


def test_a_grid_cell_says_what_was_done_not_just_a_word(client, teacher, classroom, pupil, module):
    assignment = make_assignment(classroom, module["page"], title="Rare earths")
    link = AssignmentPupil.objects.select_related("pupil").get(assignment=assignment)
    services.lesson_progress_complete(pupil=pupil, page_id=module["lessons"][0].pk)
    attempt = submit(module["quiz"], link)
    attempt.answers.filter(question__kind=Kind.OPEN).update(score=3, marked_at=timezone.now())
    attempt.score = 4
    attempt.needs_marking = False
    attempt.save()
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert '<span class="cell-work">1/2 lessons · quiz 4/5</span>' in page
    # The per-assignment summary: completion and the average quiz score.
    assert "0 of 1" in page and "80%" in page


def test_an_unmarked_quiz_shows_as_waiting_for_a_mark(client, teacher, classroom, module):
    assignment = make_assignment(classroom, module["page"])
    submit(
        module["quiz"], AssignmentPupil.objects.select_related("pupil").get(assignment=assignment)
    )
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert '<span class="cell-work">0/2 lessons · quiz 1/5 so far, to mark</span>' in page


def test_the_assignment_page_shows_each_pupils_results_with_links(
    client, teacher, classroom, pupil, module
):
    (ben,) = add_pupils(classroom, 1, display_name="Ben T.")
    past = timezone.now() - timedelta(hours=1)
    assignment = make_assignment(
        classroom,
        module["page"],
        title="Rare earths",
        open_at=past - timedelta(days=2),
        due_at=past,
    )
    link = AssignmentPupil.objects.select_related("pupil").get(assignment=assignment, pupil=pupil)
    attempt = submit(module["quiz"], link)
    quiz = module["quiz"]
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    base = f"/classes/{classroom.pk}/quizzes/{quiz.pk}/"
    assert f'href="{base}analysis/"' in page and f'href="{base}marking/"' in page
    assert "Mark “Magnets quiz”: 1 attempt waiting" in page
    # Amara: 1 of 5 so far (the open answer waits), late; a pupil × question grid.
    assert f'<a href="{base}attempts/{attempt.pk}/">1 (20%)</a> <span class="flag">Late</span>' in (
        page
    )
    assert '<td class="is-correct">1<span class="visually-hidden"> correct</span></td>' in page
    assert '?<span class="visually-hidden"> waiting for your mark</span>' in page
    assert "under a minute" in page  # time taken
    # Ben never started: missing.
    assert (
        '<span class="status status-bad">Not started</span> <span class="flag">Missing</span>'
        in (page)
    )
    assert "<title>Rare earths · 7R Science · REElearn</title>" in page
    assert ben.pk


def test_the_assignment_page_runs_a_fixed_number_of_queries(
    client, teacher, classroom, module, django_assert_num_queries
):
    add_pupils(classroom, 3)
    assignment = make_assignment(classroom, module["page"])
    for link in AssignmentPupil.objects.filter(assignment=assignment).select_related("pupil")[:3]:
        submit(module["quiz"], link)
    client.force_login(teacher)
    # session, user, class with my role, assignment with page, page (specific); links with
    # pupils; view restrictions, lessons, their progress; quizzes, attempts, questions,
    # answers; site and root page for the page's URL
    with django_assert_num_queries(15):
        response = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/")
    assert response.content.decode().count("under a minute") == 3


def test_the_teacher_home_lists_what_needs_attention_across_classes(
    client, teacher, classroom, pupil, module
):
    other = ClassroomFactory(name="8B Chemistry", teacher=teacher)
    (waiting,) = add_pupils(other, 1, display_name="Noor S.")
    Membership.objects.filter(pupil=waiting).update(status=Membership.Status.PENDING)
    (ben, chen) = add_pupils(classroom, 2)
    past = timezone.now() - timedelta(hours=1)
    overdue = make_assignment(
        classroom,
        module["page"],
        title="Rare earths",
        open_at=past - timedelta(days=1),
        due_at=past,
    )
    links = {
        link.pupil_id: link
        for link in AssignmentPupil.objects.filter(assignment=overdue).select_related("pupil")
    }
    submit(module["quiz"], links[pupil.pk])  # late, with an open answer to mark
    services.assignment_pupil_turn_in(link=links[pupil.pk])
    upcoming = make_assignment(
        classroom, module["lessons"][1], title="Magnets", due_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(teacher)
    page = client.get("/classes/").content.decode()
    assert "Needs your attention" in page
    assert "1 pupil asks to join" in page
    assert f'href="/classes/{classroom.pk}/quizzes/{module["quiz"].pk}/marking/"' in page
    assert "1 answer to mark in “Magnets quiz”" in page
    assert "1 pupil turned in “Rare earths” late" in page
    assert "“Rare earths” is missing from 2 pupils (past the due date)" in page
    assert "3 pupils have not started “Magnets”" in page
    assert upcoming.pk and ben.pk and chen.pk


def test_the_teacher_home_runs_a_fixed_number_of_queries(
    client, teacher, django_assert_num_queries
):
    for n in range(3):
        classroom = ClassroomFactory(teacher=teacher, name=f"Class {n}")
        add_pupils(classroom, 3)
        tree = make_curriculum(code=f"h{n}", tiers=("t1",), lessons_per_tier=1)
        make_assignment(classroom, tree["tier_pages"]["t1"])
    client.force_login(teacher)
    # session, user, classes with annotated counts, per-assignment counts, answers to mark
    with django_assert_num_queries(5):
        response = client.get("/classes/")
    assert response.content.decode().count("3 pupils have not started") == 3


def test_the_join_panel_gives_the_full_address_and_a_qr_code(client, teacher, classroom, settings):
    settings.SITE_URL = "https://reelearn.example"
    client.force_login(teacher)
    for url in (f"/classes/{classroom.pk}/", f"/classes/{classroom.pk}/cards/"):
        page = client.get(url).content.decode()
        assert '<strong class="url">https://reelearn.example/join/</strong>' in page, url
        assert '<svg role="img" aria-label="QR code: the join page' in page, url
    classroom.join_enabled = False
    classroom.save()
    cards = client.get(f"/classes/{classroom.pk}/cards/").content.decode()
    assert "QR code: the join page" not in cards  # no code, nothing to join with
    assert 'aria-label="QR code: the sign-in page"' in cards  # each card still has one


def test_returning_work_names_the_pupil_without_a_double_full_stop(
    client, teacher, classroom, pupil, curriculum
):
    pupil.display_name = "Noor S."
    pupil.save()
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    services.assignment_pupil_turn_in(link=AssignmentPupil.objects.get(assignment=assignment))
    client.force_login(teacher)
    response = client.post(
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/pupils/{pupil.pk}/",
        {"action": "return"},
        follow=True,
    )
    page = response.content.decode()
    assert "Returned to Noor S., who can work on it again." in page and "S.." not in page
