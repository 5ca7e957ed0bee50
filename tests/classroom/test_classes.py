"""Teachers' classes: create, rename, archive, join codes, co-teachers, the class list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from reelearn.classroom.models import JOIN_CODE_ALPHABET, Classroom, ClassTeacher

from ..factories import TeacherFactory
from .factories import ClassroomFactory, add_pupils

pytestmark = pytest.mark.django_db


def test_a_teacher_creates_a_class_with_an_unambiguous_join_code(client, teacher):
    client.force_login(teacher)
    response = client.post(
        "/classes/new/",
        {
            "name": " 7R Science ",
            "year_group": "Year 7",
            "default_tier": "t2",
            "join_needs_approval": "on",
        },
    )
    classroom = Classroom.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{classroom.pk}/pupils/add/"
    assert classroom.name == "7R Science" and classroom.default_tier == "t2"
    assert re.fullmatch(f"[{JOIN_CODE_ALPHABET}]{{8,}}", classroom.join_code)
    assert classroom.join_code_expires_at > timezone.now() + timedelta(days=30)
    assert ClassTeacher.objects.get(classroom=classroom).role == ClassTeacher.Role.OWNER


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "default_tier": "t2"}, "name"),
        ({"name": "x" * 101, "default_tier": "t2"}, "name"),
        ({"name": "7R", "default_tier": "t9"}, "default_tier"),
    ],
)
def test_a_bad_class_is_a_400_naming_the_field(client, teacher, data, field):
    client.force_login(teacher)
    response = client.post("/classes/new/", data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Classroom.objects.exists()


def test_rename_and_change_settings(client, teacher, classroom):
    client.force_login(teacher)
    response = client.post(
        f"/classes/{classroom.pk}/edit/",
        {"name": "8R Science", "year_group": "Year 8", "default_tier": "t3"},
    )
    assert response.status_code == 302
    classroom.refresh_from_db()
    assert (classroom.name, classroom.default_tier) == ("8R Science", "t3")
    assert not classroom.join_enabled and not classroom.join_needs_approval  # boxes unticked


def test_archive_and_restore(client, teacher, classroom):
    client.force_login(teacher)
    client.post(f"/classes/{classroom.pk}/archive/")
    classroom.refresh_from_db()
    assert classroom.is_archived
    page = client.get("/classes/").content.decode()
    assert "Archived classes" in page
    client.post(f"/classes/{classroom.pk}/archive/", {"action": "restore"})
    classroom.refresh_from_db()
    assert not classroom.is_archived


def test_regenerating_the_code_kills_the_old_one_and_switching_off_stops_joining(
    client, teacher, classroom
):
    client.force_login(teacher)
    old = classroom.join_code
    client.post(f"/classes/{classroom.pk}/join-code/")
    classroom.refresh_from_db()
    assert classroom.join_code != old and len(classroom.join_code) >= 8
    assert not Classroom.objects.filter(join_code=old).exists()
    client.get(f"/classes/{classroom.pk}/")  # shows (and so clears) the "new code" message
    client.post(f"/classes/{classroom.pk}/join-code/", {"action": "disable"})
    classroom.refresh_from_db()
    assert not classroom.join_enabled and not classroom.join_code_usable()
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert classroom.join_code_display() not in page and "Off" in page


def test_the_owner_adds_a_co_teacher_by_email_or_username(client, teacher, classroom):
    colleague = TeacherFactory(username="jones", email="jones@school.example")
    client.force_login(teacher)
    response = client.post(
        f"/classes/{classroom.pk}/teachers/", {"teacher": "JONES@school.example"}
    )
    assert response.status_code == 302
    link = ClassTeacher.objects.get(teacher=colleague)
    assert link.role == ClassTeacher.Role.CO_TEACHER
    again = client.post(f"/classes/{classroom.pk}/teachers/", {"teacher": "jones"})
    assert again.status_code == 400 and b"already teaches" in again.content
    client.force_login(colleague)
    assert client.get("/classes/").content.decode().count(">7R Science</a></h3>") == 1
    client.force_login(teacher)
    client.post(f"/classes/{classroom.pk}/teachers/{colleague.pk}/remove/")
    assert not ClassTeacher.objects.filter(teacher=colleague).exists()


def test_pupils_and_editors_cannot_be_co_teachers(client, teacher, classroom, pupil, editor):
    client.force_login(teacher)
    for who in (pupil.username, editor.username):
        response = client.post(f"/classes/{classroom.pk}/teachers/", {"teacher": who})
        assert response.status_code == 400 and b"No teacher account" in response.content
    assert classroom.class_teachers.count() == 1


def test_a_teacher_sees_only_their_own_classes(client, teacher, classroom, other_classroom):
    client.force_login(teacher)
    page = client.get("/classes/").content.decode()
    assert "7R Science" in page and "9X History" not in page


def test_the_class_list_runs_a_fixed_number_of_queries(client, teacher, django_assert_num_queries):
    for n in range(3):
        add_pupils(ClassroomFactory(teacher=teacher, name=f"Class {n}"), 3)
    client.force_login(teacher)
    # session, user, classes with annotated pupil, pending and assignment counts; what needs
    # attention: per-assignment counts, answers to mark
    with django_assert_num_queries(5):
        response = client.get("/classes/")
    assert response.content.decode().count("3 pupils") == 3
