"""Assignments: a module at a tier or a lesson, for a class, groups or pupils; the lifecycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lessons.models import ContentGuidance, LessonPage
from reelearn.classroom import services
from reelearn.classroom.models import Assignment, AssignmentPupil

from .factories import add_pupils, make_assignment, make_group

pytestmark = pytest.mark.django_db


def create(client, classroom, **data):
    return client.post(
        f"/classes/{classroom.pk}/assignments/new/?tier=all", {"audience": "class", **data}
    )


def test_a_teacher_assigns_a_module_tier_after_reading_the_content_guidance(
    client, teacher, classroom, curriculum, pupil
):
    tier_page = curriculum["tier_pages"]["t1"]
    lessons = curriculum["lessons"]["t1"]
    LessonPage.objects.filter(pk=lessons[1].pk).update(supervision="close")
    ContentGuidance.objects.create(
        page=lessons[1], kind="armed_conflict", note="Describes fighting near mines."
    )
    others = add_pupils(classroom, 2)
    client.force_login(teacher)
    form = client.get(f"/classes/{classroom.pk}/assignments/new/").content.decode()
    assert "Whole module: What are rare earth elements? (m1) (Ages 7–11)" in form
    due = (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = create(
        client, classroom, page=tier_page.pk, due_at=due, instructions="Read both lessons."
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and assignment.status == Assignment.Status.DRAFT
    assert assignment.tier == "t1" and assignment.title.endswith("(Ages 7–11)")
    assert not AssignmentPupil.objects.exists()  # nothing reaches pupils before assigning
    confirm = client.get(response["Location"]).content.decode()
    for lesson in lessons:
        assert lesson.title in confirm
    assert "Mentions polluted rivers." in confirm and "Describes fighting near mines." in confirm
    assert "Teacher-led, with pastoral support ready" in confirm
    assert "Pupils can work independently" in confirm
    done = client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/assign/")
    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED and assignment.assigned_at
    assert set(assignment.pupil_links.values_list("pupil_id", flat=True)) == {
        pupil.pk,
        *(p.pk for p in others),
    }
    client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/assign/")
    assert assignment.pupil_links.count() == 3  # assigning twice changes nothing


def test_a_single_lesson_for_chosen_groups_or_pupils(classroom, curriculum, teacher, pupil):
    ben, cy = add_pupils(classroom, 2)
    group = make_group(classroom, "Table 1", [ben])
    lesson = curriculum["lessons"]["t3"][0]
    by_group = services.assignment_create(
        classroom=classroom,
        created_by=teacher,
        page=lesson,
        audience="groups",
        group_ids=[group.pk],
    )
    by_pupil = services.assignment_create(
        classroom=classroom,
        created_by=teacher,
        page=lesson,
        audience="pupils",
        pupil_ids=[cy.pk, pupil.pk],
    )
    assert services.assignment_assign(assignment=by_group) == 1
    assert services.assignment_assign(assignment=by_pupil) == 2
    assert list(by_group.pupil_links.values_list("pupil_id", flat=True)) == [ben.pk]
    assert by_group.tier == "t3" and by_group.title == lesson.title


def test_a_module_and_a_tier_pick_the_module_tier_page(classroom, curriculum, teacher):
    assignment = services.assignment_create(
        classroom=classroom, created_by=teacher, page=curriculum["module"].pk, tier="t3"
    )
    assert assignment.page_id == curriculum["tier_pages"]["t3"].pk
    with pytest.raises(ValidationError) as error:
        services.assignment_create(
            classroom=classroom, created_by=teacher, page=curriculum["module"].pk, tier="t4"
        )
    assert "tier" in error.value.message_dict


def test_an_unpublished_module_cannot_be_assigned(client, teacher, classroom, curriculum):
    tier_page = curriculum["tier_pages"]["t1"]
    tier_page.unpublish()
    client.force_login(teacher)
    response = create(client, classroom, page=tier_page.pk)
    assert response.status_code == 400
    assert not Assignment.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.assignment_create(classroom=classroom, created_by=teacher, page=tier_page.pk)
    assert "Drafts and unpublished pages cannot be assigned" in error.value.messages[0]


def test_a_draft_whose_page_was_unpublished_meanwhile_cannot_be_assigned(
    client, teacher, classroom, curriculum
):
    draft = make_assignment(classroom, curriculum["tier_pages"]["t1"], status="draft")
    curriculum["tier_pages"]["t1"].unpublish()
    client.force_login(teacher)
    client.post(f"/classes/{classroom.pk}/assignments/{draft.pk}/assign/")
    draft.refresh_from_db()
    assert draft.status == Assignment.Status.DRAFT and not draft.pupil_links.exists()
    page = client.get(f"/classes/{classroom.pk}/assignments/{draft.pk}/").content.decode()
    assert "cannot be assigned" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"due_at": "2020-01-01T10:00", "open_at": "2020-01-02T10:00"}, "due_at"),
        ({"audience": "groups"}, "groups"),
        ({"audience": "pupils"}, "pupils"),
        ({"page": ""}, "page"),
    ],
)
def test_bad_assignment_input_names_the_field(client, teacher, classroom, curriculum, data, field):
    client.force_login(teacher)
    response = create(client, classroom, **{"page": curriculum["tier_pages"]["t1"].pk, **data})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Assignment.objects.exists()


def test_late_missing_extensions_and_returning(client, teacher, classroom, curriculum, pupil):
    past = timezone.now() - timedelta(days=1)
    assignment = make_assignment(
        classroom, curriculum["tier_pages"]["t1"], open_at=past - timedelta(days=7), due_at=past
    )
    link = AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    assert "Not started" in page and "Missing" in page
    later = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/pupils/{pupil.pk}/",
        {"due_at_override": later, "extra_time_minutes": 10, "extra_attempts": 1},
    )
    link.refresh_from_db()
    assert link.due_at_override and link.extra_time_minutes == 10 and link.extra_attempts == 1
    assert not link.is_missing() and not link.is_late()
    page = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    assert "Missing" not in page and "extended" in page
    services.assignment_pupil_turn_in(link=link)
    client.post(
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/pupils/{pupil.pk}/",
        {"action": "return"},
    )
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.RETURNED and link.returned_at


def test_turning_in_after_the_due_date_is_flagged_late(classroom, curriculum, pupil):
    from reelearn.classroom.selectors import link_status

    assignment = make_assignment(
        classroom,
        curriculum["tier_pages"]["t1"],
        open_at=timezone.now() - timedelta(days=3),
        due_at=timezone.now() - timedelta(days=1),
    )
    link = AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)
    services.assignment_pupil_turn_in(link=link)
    status = link_status(link, assignment.due_at, timezone.now())
    assert status["late"] and not status["missing"] and status["flags"] == ["Late"]


def test_a_draft_can_be_edited_and_deleted_but_an_assigned_one_not_deleted(
    client, teacher, classroom, curriculum
):
    draft = make_assignment(classroom, curriculum["tier_pages"]["t1"], status="draft")
    assigned = make_assignment(classroom, curriculum["tier_pages"]["t3"])
    client.force_login(teacher)
    url = f"/classes/{classroom.pk}/assignments/{draft.pk}/edit/"
    response = client.post(
        url,
        {
            "title": "Week 1",
            "instructions": "Go",
            "open_at": "2030-01-01T09:00",
            "due_at": "2030-01-08T09:00",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Week 1" and draft.due_at.year == 2030
    client.post(url, {"action": "delete"})
    assert not Assignment.objects.filter(pk=draft.pk).exists()
    client.post(f"/classes/{classroom.pk}/assignments/{assigned.pk}/edit/", {"action": "delete"})
    assert Assignment.objects.filter(pk=assigned.pk).exists()


def test_the_default_title_names_the_tier_once(teacher, classroom, curriculum):
    from reelearn.classroom import services

    tier_page = curriculum["tier_pages"]["t1"]
    tier_page.title = "What are rare earth elements? (Ages 7–11)"  # as the curriculum names it
    tier_page.save_revision().publish()
    assignment = services.assignment_create(classroom=classroom, created_by=teacher, page=tier_page)
    assert assignment.title == "What are rare earth elements? (Ages 7–11)"
