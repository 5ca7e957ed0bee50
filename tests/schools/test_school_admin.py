"""A school admin's page: their own school's teachers and classes only, and handing a class over
when a teacher leaves."""

from __future__ import annotations

import pytest

from reelearn.classroom.models import ClassTeacher
from reelearn.schools.models import SchoolInvitation

from ..classroom.factories import ClassroomFactory, add_pupils
from ..factories import TeacherFactory
from .conftest import join

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(school):
    teacher = TeacherFactory(username="leaver", display_name="Ms Leaver")
    join(school, teacher)
    return teacher


@pytest.fixture
def successor(school):
    teacher = TeacherFactory(username="successor", display_name="Mr Next")
    join(school, teacher)
    return teacher


def test_the_dashboard_shows_only_this_schools_teachers_and_classes(
    client, school_admin, leaver, successor, other_admin, django_assert_num_queries
):
    for n in range(3):
        add_pupils(ClassroomFactory(name=f"7R{n}", teacher=leaver), 2)
    outsider = TeacherFactory(display_name="Dr Elsewhere")
    join(other_admin.school_membership.school, outsider)
    ClassroomFactory(name="Hillside 9Z", teacher=outsider)
    client.force_login(school_admin)
    # session, user, admin's school; members, invitations, domains, classes (with pupil counts)
    with django_assert_num_queries(7):
        response = client.get("/school/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ms Leaver" in html and "7R2" in html
    assert "Dr Elsewhere" not in html and "Hillside 9Z" not in html


def test_another_schools_admin_gets_404s(client, school, school_admin, leaver, other_admin):
    classroom = ClassroomFactory(teacher=leaver)
    membership = leaver.school_membership
    client.force_login(school_admin)
    client.post("/school/invitations/new/")
    invitation = SchoolInvitation.objects.get()
    client.force_login(other_admin)
    assert client.get(f"/school/classes/{classroom.pk}/move/").status_code == 404
    for action in ("approve", "decline", "remove", "make-admin"):
        assert client.post(f"/school/teachers/{membership.pk}/{action}/").status_code == 404
    assert client.post(f"/school/invitations/{invitation.pk}/revoke/").status_code == 404
    leaver.refresh_from_db()
    assert leaver.is_verified_teacher and invitation.usable()


def test_teachers_who_are_not_school_admins_are_refused(client, leaver, newcomer, pupil):
    for user in (leaver, newcomer, pupil):
        client.force_login(user)
        assert client.get("/school/").status_code == 403


def test_move_a_class_to_another_teacher(client, school_admin, leaver, successor):
    co_teacher = TeacherFactory(display_name="Ms Co")
    classroom = ClassroomFactory(name="8B Science", teacher=leaver)
    ClassTeacher.objects.create(classroom=classroom, teacher=co_teacher, role="co_teacher")
    client.force_login(school_admin)
    form = client.get(f"/school/classes/{classroom.pk}/move/").content.decode()
    assert "Mr Next" in form and "Co-teachers stay co-teachers" in form
    assert (
        client.post(f"/school/classes/{classroom.pk}/move/", {"teacher": 999999}).status_code == 400
    )
    response = client.post(f"/school/classes/{classroom.pk}/move/", {"teacher": successor.pk})
    assert response.status_code == 302
    roles = dict(ClassTeacher.objects.filter(classroom=classroom).values_list("teacher", "role"))
    assert roles == {successor.pk: "owner", co_teacher.pk: "co_teacher"}
    client.force_login(successor)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200
    client.force_login(leaver)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 404


def test_removing_a_teacher_waits_for_their_classes_then_unverifies_them(
    client, school_admin, leaver, successor
):
    classroom = ClassroomFactory(teacher=leaver)
    membership = leaver.school_membership
    client.force_login(school_admin)
    refused = client.post(f"/school/teachers/{membership.pk}/remove/")
    assert refused.status_code == 400 and "still owns 1 class" in refused.content.decode()
    client.post(f"/school/classes/{classroom.pk}/move/", {"teacher": successor.pk})
    assert client.post(f"/school/teachers/{membership.pk}/remove/").status_code == 302
    leaver.refresh_from_db()
    assert leaver.verified_at is None
    client.force_login(leaver)
    assert client.get("/classes/").status_code == 302


def test_a_school_admin_can_make_another_admin_but_the_last_one_stays(
    client, school_admin, successor
):
    client.force_login(school_admin)
    membership = successor.school_membership
    assert client.post(f"/school/teachers/{membership.pk}/make-admin/").status_code == 302
    membership.refresh_from_db()
    assert membership.is_admin
    client.force_login(successor)
    own = school_admin.school_membership
    assert client.post(f"/school/teachers/{own.pk}/remove/").status_code == 302
    refused = client.post(f"/school/teachers/{membership.pk}/remove/")  # themselves
    assert refused.status_code == 400
