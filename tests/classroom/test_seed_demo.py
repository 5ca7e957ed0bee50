"""`manage.py seed_demo`: a believable demo school, idempotent, with a JSON mode for scripts."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from reelearn.classroom.models import (
    Assignment,
    AssignmentPupil,
    Classroom,
    Group,
    LessonProgress,
)
from reelearn.quizzes.models import Answer, Attempt, Question
from tests.factories import make_curriculum
from tests.quizzes.factories import make_quiz

User = get_user_model()
pytestmark = pytest.mark.django_db
Status = AssignmentPupil.Status


def seed(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def wagtail_groups() -> None:
    """Wagtail's own data migration makes these; a flushing test elsewhere may have removed
    them, so put back what it makes: editors add and change pages, moderators also publish."""
    root = Page.get_first_root_node()
    for name, codenames in (
        ("Editors", ["add_page", "change_page"]),
        ("Moderators", ["add_page", "change_page", "publish_page"]),
    ):
        group, _ = AuthGroup.objects.get_or_create(name=name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )


@pytest.fixture
def t3_modules(curriculum):
    """The shared curriculum's module at ages 14–16 and a second one, each with a quiz that
    has an open question (make_quiz puts one question of every kind)."""
    second = make_curriculum(code="m2", tiers=("t3",), index=curriculum["index"])
    pages = [curriculum["tier_pages"]["t3"], second["tier_pages"]["t3"]]
    for page in pages:
        make_quiz(page, title=f"Quiz on {page.title}", open_for_practice=False)
    return pages


def table(assignment) -> dict:
    links = AssignmentPupil.objects.filter(assignment=assignment).select_related("assignment")
    return {
        "status": Counter(link.status for link in links),
        "late": sum(1 for link in links if link.turned_in_at and link.is_late()),
        "work": [link.turned_in_work for link in links if link.turned_in_at],
    }


def test_seed_demo_builds_a_class_with_work_to_look_at_and_a_second_run_changes_nothing(
    t3_modules,
):
    wagtail_groups()
    out, _ = seed("--json")
    data = json.loads(out)
    assert set(data) == {"teacher", "school_admin", "editor", "moderator", "pupils", "class"}
    for key in ("teacher", "school_admin", "editor", "moderator"):
        assert authenticate(username=data[key]["username"], password=data[key]["password"])
    teacher, head = User.objects.get(username="teacher"), User.objects.get(username="schooladmin")
    assert teacher.is_verified_teacher and head.is_verified_teacher
    assert head.school_membership.is_admin and head.school_membership.school.is_approved
    first = data["pupils"][0]
    assert authenticate(username=first["username"], password=first["password"]).is_pupil
    classroom = Classroom.objects.get(pk=data["class"]["id"])
    assert classroom.join_code == data["class"]["join_code"] and len(data["pupils"]) == 25
    assert sorted(g.pupils.count() for g in Group.objects.filter(classroom=classroom)) == [12, 13]

    # Two modules at the class's own tier: one past due, one due soon.
    past, current = Assignment.objects.filter(classroom=classroom).order_by("due_at")
    assert {past.page_id, current.page_id} == {p.pk for p in t3_modules}
    assert past.tier == current.tier == classroom.default_tier == "t3"
    assert past.due_at < timezone.now() < current.due_at

    # Past due: 14 on time (6 of them returned), 3 late, 3 partly done, 5 not started.
    done = table(past)
    assert done["status"] == {
        Status.TURNED_IN: 11,
        Status.RETURNED: 6,
        Status.IN_PROGRESS: 3,
        Status.NOT_STARTED: 5,
    }
    assert done["late"] == 3
    assert all(w["lessons_done"] == w["lessons_total"] == 2 for w in done["work"])
    partly = AssignmentPupil.objects.filter(assignment=past, status=Status.IN_PROGRESS)
    assert all(
        LessonProgress.objects.filter(pupil=link.pupil, completed_at__isnull=True).exists()
        for link in partly
    )
    assert table(current)["status"] == {
        Status.TURNED_IN: 6,
        Status.IN_PROGRESS: 7,
        Status.NOT_STARTED: 12,
    }

    # Quiz attempts with scores; open answers both marked and waiting to be marked.
    attempts = Attempt.objects.filter(assignment_pupil__assignment__classroom=classroom)
    submitted = attempts.filter(status=Attempt.Status.SUBMITTED)
    assert submitted.count() == 23 and attempts.filter(status="in_progress").count() == 6
    assert all(a.score is not None and a.submitted_at < timezone.now() for a in submitted)
    assert len({a.score for a in submitted}) > 3  # not everyone scored the same
    open_answers = Answer.objects.filter(attempt__in=submitted, question__kind=Question.Kind.OPEN)
    assert open_answers.filter(marked_at__isnull=False).exclude(comment="").count() == 12
    assert open_answers.filter(marked_at__isnull=True).count() == 2 + 3 + 6
    assert submitted.filter(needs_marking=True).count() == 11

    # The editor submits for review; the moderator approves (and so may publish).
    editor, moderator = User.objects.get(username="editor"), User.objects.get(username="moderator")
    assert editor.is_editor and editor.is_staff and moderator.is_editor and moderator.is_staff
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors"}
    assert set(moderator.groups.values_list("name", flat=True)) == {"Moderators"}
    page = t3_modules[0]
    assert page.permissions_for_user(editor).can_edit()
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(moderator).can_publish()

    def everything():
        return (
            User.objects.count(),
            list(AssignmentPupil.objects.order_by("pk").values_list("status", "turned_in_at")),
            list(Attempt.objects.order_by("pk").values_list("status", "score")),
            Answer.objects.count(),
            LessonProgress.objects.count(),
            Assignment.objects.count(),
        )

    before = everything()
    again, _ = seed("--json")
    assert again == out
    assert everything() == before


def test_without_published_modules_assignments_are_skipped_with_a_message(home):
    out, err = seed("--json")
    assert "skipped the assignments" in err and json.loads(out)["pupils"]
    assert not Assignment.objects.exists()
    text, _ = seed()
    assert "skipped the assignments" in text
    for who in ("teacher", "schooladmin", "editor", "moderator", "join code"):
        assert who in text
