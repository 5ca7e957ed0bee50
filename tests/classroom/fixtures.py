"""Fixtures for classroom tests (imported by tests/classroom/conftest.py and by the API tests)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from reelearn.classroom.models import AssignmentPupil

from .factories import ClassroomFactory, make_assignment, make_group


@pytest.fixture(autouse=True)
def _fresh_cache():
    """DRF's rate limits and the content version live in the (locmem) cache: start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def classroom(teacher, pupil):
    """The teacher's class with the `pupil` persona in it."""
    return ClassroomFactory(name="7R Science", teacher=teacher, pupils=[pupil])


@pytest.fixture
def other_classroom(other_teacher, other_pupil):
    return ClassroomFactory(name="9X History", teacher=other_teacher, pupils=[other_pupil])


@pytest.fixture
def world(classroom, other_classroom, pupil, curriculum, editor):
    """Everything the permission matrices need: a group, an assigned and a draft assignment."""
    group = make_group(classroom, "Table 1", [pupil])
    assigned = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    draft = make_assignment(classroom, curriculum["tier_pages"]["t3"], status="draft")
    link = AssignmentPupil.objects.get(assignment=assigned, pupil=pupil)
    other_assignment = make_assignment(other_classroom, curriculum["tier_pages"]["t1"])
    return {
        "classroom": classroom,
        "group": group,
        "assigned": assigned,
        "draft": draft,
        "link": link,
        "pupil": pupil,
        "lesson": curriculum["lessons"]["t1"][0],
        "other_classroom": other_classroom,
        "other_assignment": other_assignment,
        "curriculum": curriculum,
    }
