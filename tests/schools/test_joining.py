"""Three ways into an approved school: a request its admin approves, an invitation link, and a
confirmed address at a domain the school proved."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from reelearn.schools import services
from reelearn.schools.models import SchoolDomain, SchoolInvitation, SchoolMembership

from ..factories import TeacherFactory

pytestmark = pytest.mark.django_db


# --- Request → approval ------------------------------------------------------------------------


def test_a_request_approved_by_the_school_admin_verifies_the_teacher(
    client, school, school_admin, newcomer, other_school
):
    client.force_login(newcomer)
    found = client.get("/schools/", {"q": "river"}).content.decode()
    assert "Riverside School" in found and "Hillside" not in found
    assert client.post("/schools/request/", {"school": school.pk}).status_code == 302
    page = client.get("/schools/").content.decode()
    assert "waiting for Riverside School" in page
    newcomer.refresh_from_db()
    assert newcomer.verified_at is None
    membership = SchoolMembership.objects.get(teacher=newcomer)

    client.force_login(school_admin)
    dashboard = client.get("/school/").content.decode()
    assert "Mr New" in dashboard and "Asked to join" in dashboard
    response = client.post(f"/school/teachers/{membership.pk}/approve/")
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_verified_teacher

    client.force_login(newcomer)
    assert "You are a verified teacher" in client.get("/schools/").content.decode()


def test_a_declined_request_leaves_the_teacher_free_and_unverified(
    client, school, school_admin, newcomer
):
    membership = services.membership_request(teacher=newcomer, school=school)
    client.force_login(school_admin)
    assert client.post(f"/school/teachers/{membership.pk}/decline/").status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.verified_at is None
    assert not SchoolMembership.objects.filter(teacher=newcomer).exists()


def test_requests_go_only_to_approved_schools_and_one_at_a_time(client, school, newcomer):
    from .conftest import make_school

    pending = make_school("Pending School", status="pending")
    client.force_login(newcomer)
    assert client.post("/schools/request/", {"school": pending.pk}).status_code == 404
    assert client.post("/schools/request/", {"school": "x"}).status_code == 400
    assert client.post("/schools/request/", {"school": school.pk}).status_code == 302
    again = client.post("/schools/request/", {"school": school.pk})
    assert again.status_code == 400 and "already belong" in again.content.decode()


# --- Invitation links ----------------------------------------------------------------------------


def invitation_link(client, admin, **form) -> str:
    client.force_login(admin)
    response = client.post("/school/invitations/new/", form)
    assert response.status_code == 201
    return re.search(r'value="https?://[^/"]+(/schools/join/[^"]+/)"', response.content.decode())[1]


def test_an_invitation_link_makes_a_teacher_verified(client, school, school_admin, newcomer):
    link = invitation_link(client, school_admin)
    assert SchoolInvitation.objects.get().token_digest not in link  # only the digest is kept
    client.logout()
    anonymous = client.get(link)
    assert anonymous.status_code == 200
    assert f"/accounts/sign-in/?next={link.replace('/', '%2F')}" in anonymous.content.decode()
    client.force_login(newcomer)
    assert client.get(link).status_code == 200  # a page with a button: GET joins nobody
    newcomer.refresh_from_db()
    assert newcomer.verified_at is None
    assert client.post(link).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_verified_teacher
    assert SchoolMembership.objects.get(teacher=newcomer).via == "invitation"


def test_expired_revoked_and_used_invitations_are_refused_with_a_reason(
    client, school, school_admin, newcomer, t0
):
    expired = invitation_link(client, school_admin)
    revoked = invitation_link(client, school_admin)
    single = invitation_link(client, school_admin, single_use="on")
    revoked_row = SchoolInvitation.objects.order_by("pk")[1]
    assert client.post(f"/school/invitations/{revoked_row.pk}/revoke/").status_code == 302
    services.invitation_accept(
        token=single.split("/")[-2], teacher=TeacherFactory(verified_at=None)
    )
    client.force_login(newcomer)
    with time_machine.travel(t0 + timedelta(days=15)):
        response = client.post(expired)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    response = client.post(revoked)
    assert response.status_code == 400 and "withdrawn" in response.content.decode()
    response = client.post(single)
    assert response.status_code == 400 and "has been used" in response.content.decode()
    response = client.post("/schools/join/not-a-real-token/")
    assert response.status_code == 400 and "not right" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.verified_at is None


# --- Proved email domains ------------------------------------------------------------------------


def prove(client, admin, address="office@riverside.sch.uk") -> SchoolDomain:
    client.force_login(admin)
    mail.outbox.clear()
    assert client.post("/school/domains/new/", {"address": address}).status_code == 302
    message = mail.outbox[-1]
    assert message.to == [address] and "riverside.sch.uk" in message.subject
    url = re.search(r"https?://[^/\s]+(/schools/domains/confirm/\S+/)", message.body)[1]
    client.logout()
    assert client.get(url).status_code == 200
    assert not SchoolDomain.objects.get(domain="riverside.sch.uk").is_proved  # GET proves nothing
    assert client.post(url).status_code == 200
    return SchoolDomain.objects.get(domain="riverside.sch.uk")


def confirm_email(user, address):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    email = EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=email)


def test_a_teacher_with_a_confirmed_address_at_a_proved_domain_joins_verified(
    client, school, school_admin, newcomer
):
    confirm_email(newcomer, "new@riverside.sch.uk")  # before the proof: nothing to join yet
    newcomer.refresh_from_db()
    assert newcomer.verified_at is None
    assert prove(client, school_admin).is_proved
    newcomer.refresh_from_db()  # the proof joined the teachers already confirmed there
    assert newcomer.is_verified_teacher
    later = TeacherFactory(verified_at=None, email="later@riverside.sch.uk")
    stranger = TeacherFactory(verified_at=None, email="x@riverside.sch.uk.evil.example")
    confirm_email(later, "later@riverside.sch.uk")
    confirm_email(stranger, "x@riverside.sch.uk.evil.example")
    later.refresh_from_db()
    stranger.refresh_from_db()
    assert later.is_verified_teacher and stranger.verified_at is None
    assert SchoolMembership.objects.get(teacher=later).via == "domain"


def test_an_unconfirmed_address_joins_nobody(client, school, school_admin):
    from allauth.account.models import EmailAddress

    teacher = TeacherFactory(verified_at=None)
    EmailAddress.objects.create(user=teacher, email="t@riverside.sch.uk", verified=False)
    prove(client, school_admin)
    teacher.refresh_from_db()
    assert teacher.verified_at is None
    assert not SchoolMembership.objects.filter(teacher=teacher).exists()


@pytest.mark.parametrize("address", ["head@gmail.com", "head@Outlook.com", "x@hotmail.com"])
def test_public_webmail_domains_are_refused(client, school, school_admin, address):
    client.force_login(school_admin)
    response = client.post("/school/domains/new/", {"address": address})
    assert response.status_code == 400 and "public email service" in response.content.decode()
    assert not SchoolDomain.objects.exists() and not mail.outbox


def test_a_domain_another_school_proved_is_refused(
    client, school, school_admin, other_school, other_admin
):
    prove(client, school_admin)
    client.force_login(other_admin)
    response = client.post("/school/domains/new/", {"address": "head@riverside.sch.uk"})
    assert response.status_code == 400 and "Another school" in response.content.decode()


def test_a_forged_or_expired_proof_link_proves_nothing(client, school, school_admin, t0):
    client.force_login(school_admin)
    client.post("/school/domains/new/", {"address": "office@riverside.sch.uk"})
    url = re.search(r"(/schools/domains/confirm/\S+/)", mail.outbox[-1].body)[1]
    assert client.post(url[:-3] + "xx/").status_code == 400
    with time_machine.travel(t0 + timedelta(days=4)):
        response = client.post(url)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not SchoolDomain.objects.get().is_proved
