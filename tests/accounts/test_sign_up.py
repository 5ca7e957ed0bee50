"""Teacher sign-up at /accounts/sign-up/: email, password and school; pupils never sign up."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

User = get_user_model()
pytestmark = pytest.mark.django_db

GOOD = {
    "display_name": "Ms Rivera",
    "email": "Rivera@School.example",
    "school_name": "Riverside School",
    "password1": "maple otter harbour",
    "password2": "maple otter harbour",
}


def test_a_teacher_signs_up_unverified_and_is_asked_to_confirm_their_email(client, mailoutbox):
    response = client.post("/accounts/sign-up/", GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("schools:status")
    user = User.objects.get()
    assert user.is_teacher and user.username == "rivera@school.example"
    assert user.email == "rivera@school.example" and user.school_name == "Riverside School"
    assert not user.is_verified_teacher and not user.can_see_teacher_material
    assert client.get("/").wsgi_request.user == user  # signed in
    # A real email, with a link that confirms the address (POST on the confirmation page).
    (message,) = mailoutbox
    assert message.to == ["rivera@school.example"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    client.post("/accounts/sign-out/")
    signed_in = client.post(
        "/accounts/sign-in/", {"login": "Rivera@School.example", "password": GOOD["password1"]}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("schools:status")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password2": "something else"}, "password2", "same password"),
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
    assert "already registered" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        client.post("/accounts/sign-up/", {**GOOD, "email": f"t{n}@school.example"})
        client.post("/accounts/sign-out/")
    response = client.post("/accounts/sign-up/", {**GOOD, "email": "t9@school.example"})
    assert response.status_code == 429
    assert b"Too many new accounts" in response.content and b"invite colleagues" in response.content
    assert User.objects.count() == 2
