"""Joining a class with its code at /join/: pending approval, wrong codes and the lock-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from reelearn.classroom.models import Classroom, Membership

from .factories import ClassroomFactory, make_assignment

User = get_user_model()
pytestmark = pytest.mark.django_db


def join(client, code, name="Noor A."):
    return client.post("/join/", {"code": code, "name": name})


def test_a_pupil_joins_with_the_code_and_waits_for_approval(client, classroom):
    code = classroom.join_code_display().lower()  # dashes and case do not matter
    response = join(client, code)
    assert response.status_code == 201
    credential = response.context["credential"]
    page = response.content.decode()
    assert credential.username in page and credential.password in page
    membership = Membership.objects.get(pupil__username=credential.username)
    assert membership.status == Membership.Status.PENDING and membership.pupil.email == ""
    assert client.get("/my-work/").status_code == 200  # signed in straight away
    assert "will let you in soon" in client.get("/my-work/").content.decode()


def test_without_approval_the_pupil_gets_class_work_at_once(client, teacher, curriculum):
    classroom = ClassroomFactory(teacher=teacher, join_needs_approval=False)
    make_assignment(classroom, curriculum["tier_pages"]["t1"], pupils=[])
    response = join(client, classroom.join_code)
    pupil = User.objects.get(username=response.context["credential"].username)
    assert Membership.objects.get(pupil=pupil).status == Membership.Status.ACTIVE
    assert pupil.assignment_links.count() == 1
    assert "Lesson 1 (t1)" in client.get("/my-work/").content.decode()


@pytest.mark.parametrize("setup", ["wrong", "expired", "off", "archived"])
def test_a_code_that_does_not_work_is_a_clear_400(client, classroom, setup):
    code = classroom.join_code
    if setup == "wrong":
        code = "ACDEFGHJ"
    elif setup == "expired":
        Classroom.objects.filter(pk=classroom.pk).update(
            join_code_expires_at=timezone.now() - timedelta(minutes=1)
        )
    elif setup == "off":
        Classroom.objects.filter(pk=classroom.pk).update(join_enabled=False)
    else:
        Classroom.objects.filter(pk=classroom.pk).update(archived_at=timezone.now())
    users = User.objects.count()
    response = join(client, code)
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["code"])
    assert ("not right" if setup == "wrong" else "no longer works") in message
    assert User.objects.count() == users


def test_a_name_already_in_the_class_is_refused(client, classroom):
    response = join(client, classroom.join_code, "amara k.")
    assert response.status_code == 400
    assert "Already in this class" in " ".join(response.context["form"].errors["name"])


def test_nearly_all_of_a_thousand_wrong_codes_are_refused_before_they_are_checked(
    client, classroom
):
    """At least 98% of 1,000 guesses from one client never reach the code look-up."""
    checked = 0
    for n in range(1000):
        response = join(client, f"ACDE{n:04d}".translate(str.maketrans("0125", "3467")))
        assert response.status_code in (400, 429)
        checked += response.status_code == 400
    assert checked <= 20
    assert (1000 - checked) / 1000 >= 0.98
    response = join(client, classroom.join_code)  # even the right code, while locked
    assert response.status_code == 429
    assert "Too many wrong class codes" in response.content.decode()
    assert not Membership.objects.filter(status=Membership.Status.PENDING).exists()


def test_a_signed_in_pupil_joins_another_class_with_their_own_account(
    client, pupil, other_classroom
):
    client.force_login(pupil)
    response = client.post("/join/", {"code": other_classroom.join_code})
    assert response.status_code == 201 and response.context["credential"] is None
    assert Membership.objects.filter(pupil=pupil, classroom=other_classroom).exists()
    again = client.post("/join/", {"code": other_classroom.join_code})
    assert again.status_code == 400 and "already in this class" in again.content.decode()
