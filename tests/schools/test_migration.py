"""Teacher accounts from before schools move into pending schools named from `school_name`."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from reelearn.schools.models import School, SchoolMembership

from ..factories import EditorFactory, PupilFactory, TeacherFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "reelearn.schools.migrations.0002_existing_teachers_into_schools"
)


def test_existing_teachers_move_into_one_pending_school_per_name_unverified():
    a = TeacherFactory(school_name="Riverside School")
    b = TeacherFactory(school_name="  riverside   SCHOOL ")
    c = TeacherFactory(school_name="Hillside Academy")
    nameless = TeacherFactory(school_name="", display_name="Ms Nobody")
    editor = EditorFactory(school_name="Riverside School")
    pupil = PupilFactory()

    migration.teachers_into_schools(apps, None)

    schools = {s.name: s for s in School.objects.all()}
    assert set(schools) == {"Riverside School", "Hillside Academy", "Unnamed school of Ms Nobody"}
    assert all(s.status == School.Status.PENDING for s in schools.values())
    members = {m.teacher_id: m for m in SchoolMembership.objects.all()}
    assert set(members) == {a.pk, b.pk, c.pk, nameless.pk}
    assert members[a.pk].school == members[b.pk].school == schools["Riverside School"]
    assert all(m.status == "requested" and m.role == "teacher" for m in members.values())
    for teacher in (a, b, c, nameless):
        teacher.refresh_from_db()
        assert teacher.verified_at is None and not teacher.is_verified_teacher
    editor.refresh_from_db()
    pupil.refresh_from_db()
    assert editor.can_see_teacher_material
    assert not SchoolMembership.objects.filter(teacher__in=[editor, pupil]).exists()
    migration.teachers_into_schools(apps, None)  # a second run moves nobody twice
    assert SchoolMembership.objects.count() == 4 and School.objects.count() == 3
