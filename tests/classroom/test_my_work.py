"""The pupil home /my-work/: assignments by due date, next step, lesson progress, turning in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reelearn.classroom import contributions
from reelearn.classroom.models import AssignmentPupil, LessonProgress
from reelearn.classroom.services import classroom_archive

from ..factories import make_curriculum
from .factories import make_assignment

pytestmark = pytest.mark.django_db


def test_assignments_in_due_order_with_next_step_and_upcoming(client, classroom, pupil, curriculum):
    now = timezone.now()
    later = make_assignment(
        classroom,
        curriculum["tier_pages"]["t1"],
        title="Later work",
        due_at=now + timedelta(days=9),
    )
    make_assignment(
        classroom,
        curriculum["lessons"]["t3"][0],
        title="Sooner work",
        due_at=now + timedelta(days=2),
    )
    make_assignment(
        classroom,
        curriculum["lessons"]["t3"][1],
        title="Next week's work",
        open_at=now + timedelta(days=5),
        due_at=now + timedelta(days=12),
    )
    make_assignment(classroom, curriculum["lessons"]["t1"][0], title="Draft work", status="draft")
    client.force_login(pupil)
    page = client.get("/my-work/").content.decode()
    assert page.index("Sooner work") < page.index("Later work")
    assert "Draft work" not in page
    upcoming = page[page.index("Coming up") :]
    assert "Next week&#x27;s work" in upcoming and "opens" in upcoming
    assert "What to do next" in page and "Start “Lesson 1 (t3)”" in page
    assert page.count("Mark as done") == 3  # one per lesson of the open assignments
    assert f"/my-work/{later.pupil_links.get().pk}/" in page


def test_opening_a_lesson_records_progress_once_and_only_for_pupils(
    client, classroom, pupil, teacher, curriculum, django_assert_max_num_queries
):
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    lesson = curriculum["lessons"]["t1"][0]
    client.force_login(teacher)
    client.get(lesson.url)
    assert not LessonProgress.objects.exists()
    client.force_login(pupil)
    assert client.get(lesson.url).status_code == 200
    assert client.get(lesson.url).status_code == 200
    assert client.get(lesson.url + "guide/").status_code == 404
    progress = LessonProgress.objects.get()
    assert (progress.pupil, progress.page_id, progress.completed_at) == (pupil, lesson.pk, None)
    link = AssignmentPupil.objects.get(assignment=assignment)
    assert link.status == AssignmentPupil.Status.IN_PROGRESS and link.started_at


def test_the_hook_costs_one_query_on_a_repeat_visit(
    client, pupil, curriculum, django_assert_num_queries
):
    from django.test import RequestFactory

    from reelearn.classroom.wagtail_hooks import record_lesson_opened

    lesson = curriculum["lessons"]["t1"][0]
    request = RequestFactory().get(lesson.url)
    request.user = pupil
    with django_assert_num_queries(2):  # first visit: the upsert, then starting assignments
        record_lesson_opened(lesson, request, (), {})
    with django_assert_num_queries(1):  # later visits: the upsert alone
        record_lesson_opened(lesson, request, (), {})


def test_mark_as_done_and_turn_in(client, classroom, pupil, curriculum):
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    link = assignment.pupil_links.get()
    client.force_login(pupil)
    for lesson in curriculum["lessons"]["t1"]:
        response = client.post(f"/my-work/lessons/{lesson.pk}/done/", {"next": "/my-work/"})
        assert response.status_code == 302 and response["Location"] == "/my-work/"
    assert LessonProgress.objects.filter(pupil=pupil, completed_at__isnull=False).count() == 2
    page = client.get("/my-work/").content.decode()
    assert "2 of 2 lessons done" in page and "Turn it in when you are ready" in page
    client.post(f"/my-work/{link.pk}/turn-in/")
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.TURNED_IN
    page = client.get("/my-work/").content.decode()
    assert "Nothing to do right now" in page and "Turned in" in page


def test_mark_as_done_never_redirects_off_site(client, pupil, curriculum):
    client.force_login(pupil)
    lesson = curriculum["lessons"]["t1"][0]
    response = client.post(f"/my-work/lessons/{lesson.pk}/done/", {"next": "https://evil.example/"})
    assert response["Location"] == "/my-work/"


def test_archived_classes_and_other_pupils_work_stay_off_my_page(
    client, classroom, pupil, other_classroom, curriculum
):
    make_assignment(other_classroom, curriculum["tier_pages"]["t3"], title="Not mine")
    make_assignment(classroom, curriculum["tier_pages"]["t1"], title="Mine")
    client.force_login(pupil)
    page = client.get("/my-work/").content.decode()
    assert "Mine" in page and "Not mine" not in page
    classroom_archive(classroom=classroom)
    assert "Mine" not in client.get("/my-work/").content.decode()


def test_my_work_runs_a_fixed_number_of_queries(
    client, classroom, pupil, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(contributions, "_assignment_work", [])  # quizzes counted separately
    for n in range(3):
        tree = make_curriculum(code=f"q{n}", lessons_per_tier=3, tiers=("t1",))
        make_assignment(
            classroom, tree["tier_pages"]["t1"], due_at=timezone.now() + timedelta(days=n + 1)
        )
        LessonProgress.objects.create(pupil=pupil, page=tree["lessons"]["t1"][0])
    client.force_login(pupil)
    # session, user, links with assignment/class/page, view restrictions (public()), lessons
    # of those pages, the pupil's progress on them, pending memberships, and Wagtail's site
    # root paths for lesson URLs (sites, root pages: cached between requests in production)
    with django_assert_num_queries(9):
        response = client.get("/my-work/")
    assert response.content.decode().count("0 of 3 lessons done") == 3


def test_work_comes_from_the_apps_that_register_it(
    client, classroom, pupil, curriculum, monkeypatch
):
    """Classroom names no higher app: what an assignment holds besides lessons comes from
    providers registered in `contributions` (the quizzes app registers its quizzes)."""
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    link = assignment.pupil_links.get()

    def fake(*, pupil, links):
        return {
            link.pk: [
                contributions.WorkItem(
                    title="Rare earths quiz", url="/quizzes/1/", status="Not started"
                )
            ]
            for link in links
        }

    monkeypatch.setattr(contributions, "_assignment_work", [fake])
    client.force_login(pupil)
    page = client.get("/my-work/").content.decode()
    assert 'href="/quizzes/1/">Rare earths quiz</a>' in page
    monkeypatch.setattr(contributions, "_assignment_work", [])  # nothing registered
    page = client.get("/my-work/").content.decode()
    assert 'href="/quizzes/1/"' not in page and "Lesson 1 (t1)" in page
    assert link.pk
