"""Fixtures for the pupil quiz API tests: a published quiz with every kind, a pupil's client."""

import pytest
from rest_framework.test import APIClient

from tests.quizzes.factories import make_quiz


@pytest.fixture
def quiz(curriculum):
    return make_quiz(curriculum["lessons"]["t1"][0])


@pytest.fixture
def api(pupil):
    client = APIClient()
    client.force_authenticate(pupil)
    return client
