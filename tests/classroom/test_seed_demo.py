"""`manage.py seed_demo`: a demo school, idempotent, with a JSON mode for scripts."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from reelearn.classroom.models import Assignment, AssignmentPupil, Classroom, Group

User = get_user_model()
pytestmark = pytest.mark.django_db


def seed(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seed_demo_json_is_exactly_the_sign_ins_and_a_second_run_changes_nothing(curriculum):
    out, _ = seed("--json")
    data = json.loads(out)
    assert set(data) == {"teacher", "school_admin", "pupils", "class"}
    teacher, head = User.objects.get(username="teacher"), User.objects.get(username="schooladmin")
    assert teacher.is_verified_teacher and head.is_verified_teacher
    assert teacher.school_membership.school == head.school_membership.school
    assert head.school_membership.is_admin and head.school_membership.school.is_approved
    assert authenticate(username="schooladmin", password=data["school_admin"]["password"])
    assert set(data["teacher"]) == {"username", "password"} and len(data["pupils"]) == 25
    assert all(set(p) == {"username", "password"} for p in data["pupils"])
    assert set(data["class"]) == {"id", "join_code"}
    assert authenticate(username="teacher", password=data["teacher"]["password"])
    first = data["pupils"][0]
    assert authenticate(username=first["username"], password=first["password"]).is_pupil
    classroom = Classroom.objects.get(pk=data["class"]["id"])
    assert classroom.join_code == data["class"]["join_code"]
    assert classroom.memberships.count() == 25
    assert sorted(g.pupils.count() for g in Group.objects.filter(classroom=classroom)) == [12, 13]
    assert Assignment.objects.filter(classroom=classroom, status="assigned").count() == 2
    counts = (User.objects.count(), Assignment.objects.count(), AssignmentPupil.objects.count())
    again, _ = seed("--json")
    assert again == out
    assert counts == (
        User.objects.count(),
        Assignment.objects.count(),
        AssignmentPupil.objects.count(),
    )


def test_the_editor_can_use_the_wagtail_admin(home):
    from django.contrib.auth.models import Group as AuthGroup

    for name in ("Editors", "Moderators"):  # Wagtail's data migration; a flushing test elsewhere
        AuthGroup.objects.get_or_create(name=name)  # in the run may have removed them
    seed("--json")
    editor = User.objects.get(username="editor")
    assert editor.is_editor and editor.is_staff
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}


def test_without_published_modules_assignments_are_skipped_with_a_message(home):
    out, err = seed("--json")
    assert "skipped the assignments" in err and json.loads(out)["pupils"]
    assert not Assignment.objects.exists()
    text, _ = seed()
    assert "teacher" in text and "skipped the assignments" in text and "join code" in text
