"""Teacher sign-up at /accounts/sign-up/: email, password and school; pupils never sign up."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

User = get_user_model()
pytestmark = pytest.mark.django_db

GOOD = {
    "display_name": "Ms Rivera",
    "email": "Rivera@School.example",
    "school_name": "Riverside School",
    "password1": "maple otter harbour",
    "password2": "maple otter harbour",
}


def test_a_teacher_signs_up_and_lands_on_creating_a_class(client):
    response = client.post("/accounts/sign-up/", GOOD)
    assert response.status_code == 302 and response["Location"] == "/classes/new/"
    user = User.objects.get()
    assert user.is_teacher and user.username == "rivera@school.example"
    assert user.email == "rivera@school.example" and user.school_name == "Riverside School"
    assert client.get("/classes/").status_code == 200  # signed in
    client.post("/accounts/sign-out/")
    signed_in = client.post(
        "/accounts/sign-in/", {"username": "rivera@school.example", "password": GOOD["password1"]}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/classes/"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password2": "something else"}, "password2", "not the same"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"school_name": ""}, "school_name", "required"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_creates_nothing(client, change, field, message):
    response = client.post("/accounts/sign-up/", {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert b'id="error-summary"' in response.content
    assert not User.objects.exists()


def test_an_email_already_in_use_is_refused(client, teacher):
    response = client.post("/accounts/sign-up/", {**GOOD, "email": teacher.email.upper()})
    assert response.status_code == 400
    assert "already an account" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.REELEARN_SIGN_UPS_PER_HOUR = 2
    for n in range(2):
        client.post("/accounts/sign-up/", {**GOOD, "email": f"t{n}@school.example"})
        client.post("/accounts/sign-out/")
    response = client.post("/accounts/sign-up/", {**GOOD, "email": "t9@school.example"})
    assert response.status_code == 429
    assert b"Too many new accounts" in response.content
    assert User.objects.count() == 2
