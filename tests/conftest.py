"""Personas shared by every test: an editor, two teachers, a pupil in a class, a pupil elsewhere."""

from __future__ import annotations

import pytest
from django.utils import timezone

from .factories import EditorFactory, PupilFactory, TeacherFactory, make_curriculum, make_home

TRANSACTIONAL = {"transactional_db", "live_server"}


def pytest_collection_modifyitems(items):
    """Transactional tests flush the database afterwards, which also removes the rows Wagtail's
    data migrations made (root page, locale, groups, workflow). Serialized rollback restores
    them for every such test, whatever order the tests run in."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and TRANSACTIONAL & set(names) and \
                "django_db_serialized_rollback" not in names:
            names.insert(0, "django_db_serialized_rollback")


@pytest.fixture
def t0():
    """The instant a test freezes the clock at: the real now. Rows that factories make before the
    freeze (an assignment opened "now − 1 day", say) and the frozen instant then share one clock,
    so no test depends on the calendar date it runs on."""
    return timezone.now()


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def curriculum(db):
    return make_curriculum()


@pytest.fixture
def teacher(db):
    return TeacherFactory(username="teacher", display_name="Ms Rivera")


@pytest.fixture
def other_teacher(db):
    return TeacherFactory(username="otherteacher", display_name="Mr Other")


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def pupil(db):
    return PupilFactory(username="pupil", display_name="Amara K.")


@pytest.fixture
def other_pupil(db):
    return PupilFactory(username="otherpupil", display_name="Zed Q.")
