"""Schools: an approved school with a verified admin, a new (unverified) teacher, and helpers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from reelearn.schools.models import School, SchoolMembership

from ..factories import TeacherFactory


def make_school(name="Riverside School", *, status=School.Status.APPROVED, **fields) -> School:
    decided = None if status == School.Status.PENDING else timezone.now()
    return School.objects.create(name=name, status=status, decided_at=decided, **fields)


def join(school, teacher, *, role="teacher", status="verified") -> SchoolMembership:
    """A membership as the services would leave it, verified_at included."""
    membership = SchoolMembership.objects.create(
        school=school,
        teacher=teacher,
        role=role,
        status=status,
        via="staff",
        decided_at=timezone.now() if status == "verified" else None,
    )
    verified = status == "verified" and school.status == School.Status.APPROVED
    teacher.verified_at = timezone.now() if verified else None
    teacher.save(update_fields=["verified_at"])
    return membership


@pytest.fixture
def school(db):
    return make_school()


@pytest.fixture
def school_admin(school):
    admin = TeacherFactory(username="head", display_name="Mrs Head", email="head@riverside.sch.uk")
    join(school, admin, role="admin")
    return admin


@pytest.fixture
def newcomer(db):
    """A teacher account someone just made: no school, not verified."""
    return TeacherFactory(
        username="newcomer",
        display_name="Mr New",
        email="new@riverside.sch.uk",
        verified_at=None,
        school_name="",
    )


@pytest.fixture
def other_school(db):
    return make_school("Hillside Academy")


@pytest.fixture
def other_admin(other_school):
    admin = TeacherFactory(username="otherhead", display_name="Mr Hill")
    join(other_school, admin, role="admin")
    return admin
