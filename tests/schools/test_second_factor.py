"""School admins verify teachers, so, like editors, they must use a second factor."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_school_admin_must_set_up_a_second_factor(settings, school_admin, home):
    settings.REELEARN_REQUIRE_STAFF_2FA = True
    client = Client()
    client.force_login(school_admin)
    response = client.get("/school/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    refused = APIClient().post(
        "/api/v1/auth/token/", {"username": school_admin.username, "password": PASSWORD}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "second_factor_required"


def test_a_teacher_of_the_school_is_not_forced(settings, school, home):
    from tests.factories import TeacherFactory

    from .conftest import join

    settings.REELEARN_REQUIRE_STAFF_2FA = True
    teacher = TeacherFactory()
    join(school, teacher)
    client = Client()
    client.force_login(teacher)
    assert client.get("/classes/").status_code == 200
