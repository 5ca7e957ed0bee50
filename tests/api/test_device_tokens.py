"""API tokens per device (issue 18 §4): they expire when idle and are revoked by a password
change or reset and by "sign out everywhere" — at once, even while their user is cached."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from reelearn.api.models import DeviceToken
from reelearn.classroom import services
from tests.classroom.factories import ClassroomFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MINE = "/api/v1/my/assignments/"


def token_for(username, password=PASSWORD, device=""):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, "device": device},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key) -> bool:
    status = api(key).get(MINE).status_code
    assert status in (200, 401, 403)
    return status == 200


@pytest.fixture(params=[0, 300], ids=["uncached", "cached"])
def caching(request, settings):
    settings.API_TOKEN_CACHE_SECONDS = request.param


def test_each_device_has_its_own_token_and_signs_out_alone(pupil, caching):
    phone, tablet = token_for("pupil", device="phone"), token_for("pupil", device="tablet")
    assert phone != tablet and works(phone) and works(tablet)
    assert set(DeviceToken.objects.values_list("name", flat=True)) == {"phone", "tablet"}
    assert api(phone).delete("/api/v1/auth/token/").status_code == 204
    assert not works(phone) and works(tablet)
    assert DeviceToken.objects.get().name == "tablet"
    # Only the digest is stored: the key itself appears nowhere in the table.
    assert not DeviceToken.objects.filter(digest=tablet).exists()


def test_changing_my_password_revokes_every_token(pupil, home, caching):
    key = token_for("pupil")
    assert works(key)
    browser = Client()
    browser.force_login(pupil)
    changed = browser.post(
        "/accounts/password/",
        {"oldpassword": PASSWORD, "password1": "river otter 2026", "password2": "river otter 2026"},
    )
    assert changed.status_code == 302
    assert not works(key)


def test_a_teachers_password_reset_revokes_the_pupils_tokens(client, teacher, caching):
    classroom = ClassroomFactory(teacher=teacher)
    made = services.pupils_create(classroom=classroom, names=["Amara K."])[0]
    key = token_for(made.username, made.password)
    assert works(key)
    client.force_login(teacher)
    reset = reverse(
        "classroom:pupil-reset-password",
        kwargs={"class_id": classroom.pk, "pupil_id": made.user.pk},
    )
    assert client.post(reset).status_code == 302
    assert not works(key)


def test_a_password_reset_by_email_revokes_every_token(teacher, mailoutbox, caching):
    key = token_for("teacher")
    browser = Client()
    assert browser.post("/accounts/password/reset/", {"email": teacher.email}).status_code == 302
    (message,) = mailoutbox
    link = next(w for w in message.body.split() if "/accounts/password/reset/key/" in w)
    form = browser.get(link.split("testserver", 1)[-1], follow=True)
    assert form.status_code == 200
    done = browser.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "new maple harbour 9", "password2": "new maple harbour 9"},
    )
    assert done.status_code == 302
    assert not works(key)


def test_sign_out_everywhere_ends_tokens_and_every_session(pupil, home, caching):
    key = token_for("pupil")
    other_browser = Client()
    other_browser.force_login(pupil)
    this_browser = Client()
    this_browser.force_login(pupil)
    assert this_browser.get("/accounts/sign-out-everywhere/").status_code == 200
    assert this_browser.post("/accounts/sign-out-everywhere/").status_code == 302
    assert not works(key)
    assert not other_browser.get("/").wsgi_request.user.is_authenticated
    assert not this_browser.get("/").wsgi_request.user.is_authenticated


def test_sign_out_everywhere_through_the_api(pupil, caching):
    first, second = token_for("pupil"), token_for("pupil")
    assert api(first).post("/api/v1/auth/sign-out-everywhere/").status_code == 204
    assert not works(first) and not works(second)


@override_settings(REELEARN_API_TOKEN_IDLE_DAYS=30)
def test_a_token_unused_for_thirty_days_stops_working(pupil, t0):
    with time_machine.travel(t0, tick=False) as clock:
        key = token_for("pupil")
        clock.shift(dt.timedelta(days=29))
        assert works(key)  # used: the idle clock starts again
        clock.shift(dt.timedelta(days=29))
        assert works(key)
        clock.shift(dt.timedelta(days=31))
        assert not works(key)


def test_use_is_recorded_at_most_once_an_hour(pupil, t0, django_assert_num_queries):
    with time_machine.travel(t0, tick=False) as clock:
        key = token_for("pupil")
        clock.shift(dt.timedelta(hours=2))
        works(key)
        used = DeviceToken.objects.get().last_used_at
        assert used == t0 + dt.timedelta(hours=2)
        clock.shift(dt.timedelta(minutes=30))
        works(key)
        assert DeviceToken.objects.get().last_used_at == used
