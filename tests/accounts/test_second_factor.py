"""Two-factor authentication (issue 18 §2): a staff password alone opens no door.

Every way in — the site's sign-in, the Wagtail admin, /django-admin/, the API token endpoint —
asks an editor with a second factor for a current code; one without is sent to set one up while
REELEARN_REQUIRE_STAFF_2FA is on. Teachers may use it too; pupils never need it.
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, EditorFactory

pytestmark = pytest.mark.django_db


def code_now(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@pytest.fixture
def enforced(settings):
    settings.REELEARN_REQUIRE_STAFF_2FA = True


@pytest.fixture
def editor_with_totp(enforced):
    editor = EditorFactory(username="ed", email="ed@reelearn.example")
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    return editor, secret


def signed_in(client) -> bool:
    return client.get("/healthz").wsgi_request.user.is_authenticated


def test_the_site_sign_in_asks_for_the_code(editor_with_totp, home):
    editor, secret = editor_with_totp
    client = Client()
    response = client.post("/accounts/sign-in/", {"login": "ed", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and not signed_in(client)
    right = client.post("/accounts/2fa/authenticate/", {"code": code_now(secret)})
    assert right.status_code == 302 and signed_in(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("door", ["/admin/login/", "/django-admin/login/"])
def test_admin_password_forms_never_sign_a_staff_member_in(editor_with_totp, door):
    client = Client()
    response = client.post(door, {"username": "ed", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert not signed_in(client)


@pytest.mark.parametrize("door", ["/admin/", "/django-admin/"])
def test_admin_doors_lead_to_the_one_sign_in(door):
    response = Client().get(door, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/sign-in/")
    assert response.status_code == 200 and b'name="login"' in response.content


def test_the_token_endpoint_wants_the_code_too(editor_with_totp):
    _editor, secret = editor_with_totp
    api = APIClient()
    bare = api.post("/api/v1/auth/token/", {"username": "ed", "password": PASSWORD})
    assert bare.status_code == 401 and "token" not in bare.json()
    wrong = api.post(
        "/api/v1/auth/token/", {"username": "ed", "password": PASSWORD, "code": "123456"}
    )
    assert wrong.status_code == 401
    right = api.post(
        "/api/v1/auth/token/", {"username": "ed", "password": PASSWORD, "code": code_now(secret)}
    )
    assert right.status_code == 200 and right.json()["token"]
    # A code works once: replaying it gets nothing.
    again = api.post(
        "/api/v1/auth/token/", {"username": "ed", "password": PASSWORD, "code": code_now(secret)}
    )
    assert again.status_code == 401


def test_an_editor_without_a_second_factor_must_set_one_up_first(enforced, home):
    EditorFactory(username="new-ed")
    client = Client()
    assert (
        client.post("/accounts/sign-in/", {"login": "new-ed", "password": PASSWORD}).status_code
        == 302
    )
    for path in ("/admin/", "/django-admin/", "/curriculum/", "/classes/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Setting it up asks for the password again first (django-allauth's reauthentication).
    setup = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200 and b'name="password"' in setup.content
    api = APIClient()
    refused = api.post("/api/v1/auth/token/", {"username": "new-ed", "password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["code"] == "second_factor_required"


def test_setting_up_totp_then_signing_in_with_it(enforced, home):
    EditorFactory(username="new-ed")
    client = Client()
    client.post("/accounts/sign-in/", {"login": "new-ed", "password": PASSWORD})
    again = client.post(
        "/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD}
    )
    assert again.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    activated = client.post("/accounts/2fa/totp/activate/", {"code": code_now(secret)})
    assert activated.status_code == 302
    assert client.get("/admin/").status_code == 200
    # An editor who must use it cannot switch it off.
    client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user__username="new-ed", type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_a_teacher_may_opt_in_and_is_not_forced(enforced, teacher, home):
    client = Client()
    assert (
        client.post("/accounts/sign-in/", {"login": "teacher", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get("/classes/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_under_make_run_editors_are_not_forced(settings, home):
    settings.REELEARN_REQUIRE_STAFF_2FA = False
    EditorFactory(username="demo-ed")
    client = Client()
    client.post("/accounts/sign-in/", {"login": "demo-ed", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
