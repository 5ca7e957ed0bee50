from __future__ import annotations

import pytest

from .factories import assign, make_class, make_quiz


@pytest.fixture
def lesson(curriculum):
    return curriculum["lessons"]["t1"][0]


@pytest.fixture
def quiz(lesson):
    return make_quiz(lesson)


@pytest.fixture
def classroom(teacher, pupil, other_pupil):
    return make_class(teacher, [pupil, other_pupil])


@pytest.fixture
def assignment(classroom, lesson, pupil, other_pupil, quiz):
    return assign(classroom, lesson, [pupil, other_pupil])
