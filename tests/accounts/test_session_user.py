"""A signed-in request's user, read by one prepared statement (reelearn.accounts.backends):
the same user Django's own backend reads, the same checks, and sessions started under
Django's or allauth's backend kept signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reelearn.accounts.backends import AuthenticationBackend, ModelBackend
from reelearn.accounts.models import User
from tests.factories import PupilFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_prepared_read_gives_the_user_djangos_backend_gives(backend, teacher):
    TeacherFactory()  # another row, so the read must pick the right one
    ours = backend().get_user(teacher.pk)
    djangos = DjangoModelBackend().get_user(teacher.pk)
    assert type(ours) is User and fields(ours) == fields(djangos)
    assert not ours._state.adding and ours._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        backend().get_user(teacher.pk)
    assert len(queries) == 1
    assert backend().get_user(teacher.pk + 10_000) is None


def test_an_inactive_account_is_signed_out(pupil):
    client = Client()
    client.force_login(pupil)
    assert client.get("/my-work/").status_code == 200
    User.objects.filter(pk=pupil.pk).update(is_active=False)
    response = client.get("/my-work/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    "old",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_started_under_the_old_backend_stays_signed_in(old):
    pupil = PupilFactory(display_name="Old Session")
    client = Client()
    client.force_login(pupil, backend=old)
    assert client.session[BACKEND_SESSION_KEY] == old
    response = client.get("/my-work/")
    assert response.status_code == 200 and "Old Session" in response.content.decode()
    assert client.session[BACKEND_SESSION_KEY].startswith("reelearn.accounts.backends.")
    assert client.get("/my-work/").status_code == 200


def test_a_session_naming_an_unknown_backend_is_anonymous(pupil):
    client = Client()
    client.force_login(pupil, backend="somewhere.else.Backend")
    response = client.get("/my-work/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_password_change_elsewhere_ends_the_session(pupil):
    client = Client()
    client.force_login(pupil)
    assert client.get("/my-work/").status_code == 200
    pupil.set_password("a new password for this pupil 9")
    pupil.save()
    assert client.get("/my-work/").status_code == 302
