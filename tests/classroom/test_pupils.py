"""Adding pupils in bulk by name, their generated sign-ins, resets and approvals."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from reelearn.classroom.models import Membership

from .factories import add_pupils

User = get_user_model()
pytestmark = pytest.mark.django_db


def add(client, classroom, names: str):
    return client.post(f"/classes/{classroom.pk}/pupils/add/", {"names": names})


def test_bulk_add_makes_accounts_with_memorable_passwords_and_no_email(client, teacher, classroom):
    client.force_login(teacher)
    response = add(client, classroom, "Ben T.\n\n  Chen   L. \nZoë O.\n")
    assert response.status_code == 201
    credentials = response.context["credentials"]
    assert [c.display_name for c in credentials] == ["Ben T.", "Chen L.", "Zoë O."]
    for c in credentials:
        assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-\d{2}", c.password)
        assert c.password in response.content.decode()
        user = User.objects.get(username=c.username)
        assert user.is_pupil and user.email == "" and user.check_password(c.password)
    assert classroom.memberships.filter(status=Membership.Status.ACTIVE).count() == 4
    client.logout()
    signed_in = client.post(
        "/accounts/sign-in/",
        {"login": credentials[0].username, "password": credentials[0].password},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/my-work/"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("", "This field is required"),
        ("\n  \n", "This field is required"),
        ("Ben T.\nben t.", "appear more than once"),
        ("Amara K.", "Already in this class"),  # the `pupil` persona
        ("ben@school.example", "looks like an email address"),
        ("B" * 41, "too long"),
    ],
)
def test_bad_names_are_a_400_and_nobody_is_added(client, teacher, classroom, names, message):
    client.force_login(teacher)
    before = User.objects.count()
    response = add(client, classroom, names)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["names"])
    assert User.objects.count() == before


def test_more_than_the_limit_at_once_is_refused(client, teacher, classroom, settings):
    client.force_login(teacher)
    names = "\n".join(f"Pupil {n} X." for n in range(settings.REELEARN_BULK_PUPILS_MAX + 1))
    response = add(client, classroom, names)
    assert response.status_code == 400
    assert "up to 60 pupils at a time" in " ".join(response.context["form"].errors["names"])
    assert classroom.memberships.count() == 1
    assert add(client, classroom, "\n".join(names.splitlines()[:60])).status_code == 201
    assert classroom.memberships.count() == 61


def test_a_reset_password_replaces_the_old_one_and_the_card(client, teacher, classroom):
    client.force_login(teacher)
    credential = add(client, classroom, "Ben T.").context["credentials"][0]
    pupil = User.objects.get(username=credential.username)
    response = client.post(f"/classes/{classroom.pk}/pupils/{pupil.pk}/reset-password/")
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{classroom.pk}/cards/?pupil={pupil.pk}"
    card_page = client.get(response["Location"]).content.decode()
    new_password = re.search(r'card-password">([a-z]+-[a-z]+-[a-z]+-\d\d)<', card_page).group(1)
    pupil.refresh_from_db()
    assert not pupil.check_password(credential.password)
    assert pupil.check_password(new_password)


def test_a_pending_pupil_is_approved_and_gets_class_work(client, teacher, classroom, curriculum):
    from .factories import make_assignment

    make_assignment(classroom, curriculum["tier_pages"]["t1"])
    (newcomer,) = add_pupils(classroom, 1)
    Membership.objects.filter(pupil=newcomer).update(status=Membership.Status.PENDING)
    client.force_login(teacher)
    assert b"Waiting for your approval" in client.get(f"/classes/{classroom.pk}/").content
    client.post(f"/classes/{classroom.pk}/pupils/{newcomer.pk}/approve/")
    assert Membership.objects.get(pupil=newcomer).status == Membership.Status.ACTIVE
    assert newcomer.assignment_links.count() == 1
