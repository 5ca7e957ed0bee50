"""A pupil who chooses their own password: the login card stops showing the old one."""

from __future__ import annotations

import pytest

from reelearn.accounts.models import CardPassword
from reelearn.classroom import selectors, services
from tests.classroom.factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def test_changing_my_password_forgets_the_card_copy(client, teacher):
    classroom = ClassroomFactory(teacher=teacher)
    credential = services.pupils_create(classroom=classroom, names=["Amara K."])[0]
    assert selectors.login_cards(classroom=classroom)[0].password == credential.password
    client.post(
        "/accounts/sign-in/", {"login": credential.username, "password": credential.password}
    )
    response = client.post(
        "/accounts/password/",
        {
            "oldpassword": credential.password,
            "password1": "my secret river 42",
            "password2": "my secret river 42",
        },
    )
    assert response.status_code == 302
    assert not CardPassword.objects.exists()
    card = selectors.login_cards(classroom=classroom)[0]
    assert card.password is None and card.username == credential.username
    client.post("/accounts/sign-out/")
    assert (
        client.post(
            "/accounts/sign-in/",
            {"login": credential.username, "password": "my secret river 42"},
        ).status_code
        == 302
    )
