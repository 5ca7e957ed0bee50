"""The teacher's class dashboard and pupil page: roster, progress grid, activity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reelearn.classroom import services
from reelearn.classroom.models import AssignmentPupil, LessonProgress

from ..factories import make_curriculum
from .factories import add_pupils, make_assignment, make_group

pytestmark = pytest.mark.django_db


def test_the_grid_shows_each_status_in_words_and_colour(
    client, teacher, classroom, pupil, curriculum
):
    (ben,) = add_pupils(classroom, 1, display_name="Ben T.")
    past = timezone.now() - timedelta(days=1)
    assignment = make_assignment(
        classroom,
        curriculum["tier_pages"]["t1"],
        title="Rare earths",
        open_at=past - timedelta(days=3),
        due_at=past,
    )
    services.assignment_pupil_turn_in(link=AssignmentPupil.objects.get(pupil=pupil))
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "Rare earths" in page
    assert '<span class="status status-ok">Turned in</span> <span class="flag">Late</span>' in page
    assert (
        '<span class="status status-bad">Not started</span> <span class="flag">Missing</span>'
    ) in page
    assert "Amara K." in page and "Ben T." in page
    assert "turned in “Rare earths”" in page  # recent activity
    assert assignment.pk


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, teacher, classroom, django_assert_num_queries
):
    pupils = add_pupils(classroom, 3)
    make_group(classroom, "Table 1", pupils[:2])
    make_group(classroom, "Table 2", pupils[1:])
    make_group(classroom, "Table 3", pupils)
    for n in range(3):
        tree = make_curriculum(code=f"d{n}", tiers=("t1",), lessons_per_tier=1)
        assignment = make_assignment(classroom, tree["tier_pages"]["t1"])
        for link in assignment.pupil_links.all()[:2]:
            services.assignment_pupil_turn_in(link=link)
        for pupil in pupils:
            LessonProgress.objects.create(pupil=pupil, page=tree["lessons"]["t1"][0])
    client.force_login(teacher)
    # session, user, class with my role, memberships+pupils, teachers, assignments, links,
    # groups, their pupils, recent turn-ins, recent lesson progress; what each cell shows:
    # lessons of the assigned pages, their progress, quizzes, attempts (issue 19)
    with django_assert_num_queries(15):
        response = client.get(f"/classes/{classroom.pk}/")
    page = response.content.decode()
    assert page.count('class="cell status-ok"') == 6 and page.count("Table ") >= 3


def test_the_pupil_page_shows_their_lessons_and_groups(
    client, teacher, classroom, pupil, curriculum
):
    make_group(classroom, "Readers", [pupil])
    make_assignment(classroom, curriculum["tier_pages"]["t1"])
    lesson = curriculum["lessons"]["t1"][0]
    services.lesson_progress_complete(pupil=pupil, page_id=lesson.pk)
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/pupils/{pupil.pk}/").content.decode()
    assert "Readers" in page and "1 of 2 lessons done" in page
    assert f'{lesson.title}: <span class="status status-ok">Done</span>' in page
