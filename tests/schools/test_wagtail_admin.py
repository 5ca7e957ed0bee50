"""REElearn's editors approve or decline schools in the Wagtail admin."""

from __future__ import annotations

import pytest

from reelearn.schools.models import School, SchoolMembership

from ..factories import TeacherFactory
from .conftest import join, make_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(client, newcomer):
    """A new teacher registers their school through the site: they are its admin, unverified."""
    client.force_login(newcomer)
    response = client.post(
        "/schools/register/", {"name": "Riverside School", "town": "Leeds", "country": "UK"}
    )
    assert response.status_code == 302
    school = School.objects.get(name="Riverside School")
    assert school.status == School.Status.PENDING and school.requested_by == newcomer
    newcomer.refresh_from_db()
    assert newcomer.verified_at is None
    page = client.get("/schools/").content.decode()
    assert "waiting for REElearn&#x27;s editors" in page or "waiting for REElearn's editors" in page
    return school


def test_staff_approve_a_school_and_its_admin_is_verified(client, registered, newcomer, editor):
    client.force_login(editor)
    listing = client.get("/admin/schools/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Riverside School" in html and newcomer.email in html
    assert '"label": "Schools"' in html and '"url": "/admin/schools/"' in html  # menu
    assert client.get(f"/admin/schools/{registered.pk}/decide/").status_code == 405
    response = client.post(f"/admin/schools/{registered.pk}/decide/", {"action": "approve"})
    assert response.status_code == 302
    registered.refresh_from_db()
    newcomer.refresh_from_db()
    assert registered.status == School.Status.APPROVED and registered.decided_by == editor
    assert newcomer.is_verified_teacher
    client.force_login(newcomer)
    assert client.get("/classes/").status_code == 200


def test_a_declined_school_verifies_nobody_and_its_admin_may_start_again(
    client, registered, newcomer, editor
):
    client.force_login(editor)
    client.post(f"/admin/schools/{registered.pk}/decide/", {"action": "decline"})
    registered.refresh_from_db()
    newcomer.refresh_from_db()
    assert registered.status == School.Status.DECLINED and newcomer.verified_at is None
    client.force_login(newcomer)
    assert "could not approve" in client.get("/schools/").content.decode()
    assert client.post("/schools/leave/").status_code == 302
    assert not SchoolMembership.objects.filter(teacher=newcomer).exists()
    assert client.post("/schools/register/", {"name": "Riverside Primary"}).status_code == 302


def test_teachers_and_school_admins_cannot_decide_on_schools(client, registered, teacher):
    staffless = TeacherFactory(username="someone")
    for user in (teacher, staffless):
        client.force_login(user)
        assert client.post(
            f"/admin/schools/{registered.pk}/decide/", {"action": "approve"}
        ).status_code in (302, 403)
    registered.refresh_from_db()
    assert registered.status == School.Status.PENDING


def test_staff_verify_a_member_of_a_moved_school_as_its_admin(client, editor):
    """A school moved over from the old field has no admin: editors make one."""
    school = make_school("Old School", status=School.Status.PENDING)
    teacher = TeacherFactory(verified_at=None)
    membership = join(school, teacher, status="requested")
    client.force_login(editor)
    client.post(f"/admin/schools/{school.pk}/decide/", {"action": "approve"})
    teacher.refresh_from_db()
    assert teacher.verified_at is None  # a request is not a verification
    response = client.post(f"/admin/schools/{school.pk}/members/{membership.pk}/make-admin/")
    assert response.status_code == 302
    membership.refresh_from_db()
    teacher.refresh_from_db()
    assert membership.is_admin and membership.is_verified and teacher.is_verified_teacher
