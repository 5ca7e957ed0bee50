"""A teacher account nobody has vouched for gets nothing a visitor does not: no guide, key,
marking guide or teacher pack, no class, no pupil accounts, no teacher endpoint. Each test
checks the same request as a verified teacher too, so it fails if the gate does nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from lessons.models import ModuleTierPage
from reelearn.classroom.models import Classroom, Membership
from reelearn.packs.models import Pack
from reelearn.quizzes.models import Quiz

from ..classroom.factories import ClassroomFactory
from ..packs.factories import KEY_SECRETS, make_quiz
from ..packs.helpers import build, pdf_text

User = get_user_model()
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def tier_page(curriculum):
    page = curriculum["tier_pages"]["t1"]
    make_quiz(page)
    return ModuleTierPage.objects.get(pk=page.pk)


def test_no_teacher_guide_for_a_new_account(client, curriculum, newcomer, teacher):
    lesson = curriculum["lessons"]["t1"][0]
    tier_page = curriculum["tier_pages"]["t1"]
    client.force_login(newcomer)
    assert client.get(lesson.url + "guide/").status_code == 404
    assert client.get(tier_page.url + "guide/").status_code == 404
    page = client.get(lesson.url).content.decode()
    assert "Mentions polluted rivers." not in page and "/guide/" not in page
    assert "TEACHER-GUIDE-SECRET" not in page
    client.force_login(teacher)
    assert client.get(lesson.url + "guide/").status_code == 200


def test_no_answer_key_or_marking_guide_in_a_teacher_pack_for_a_new_account(
    client, tier_page, newcomer, teacher, shared_pdfs, django_capture_on_commit_callbacks
):
    pack = build(django_capture_on_commit_callbacks, page=tier_page, edition="teacher", paper="a4")
    assert pack.status == Pack.Status.READY
    assert all(secret in pdf_text(pack) for secret in KEY_SECRETS[:2])  # the key is in there
    client.force_login(newcomer)
    assert client.get(f"/packs/{pack.pk}/download/").status_code == 404
    assert client.get(f"/packs/page/{tier_page.pk}/teacher-a4.pdf").status_code == 404
    status_page = client.get(f"/packs/page/{tier_page.pk}/").content.decode()
    assert "Teacher edition" not in status_page
    client.force_login(teacher)
    assert client.get(f"/packs/{pack.pk}/download/").status_code == 200


def test_a_new_account_cannot_order_a_teacher_pack(client, tier_page, newcomer, teacher):
    form = {"edition": "teacher", "paper": "letter"}
    client.force_login(newcomer)
    assert client.post(f"/packs/page/{tier_page.pk}/request/", form).status_code == 404
    assert not Pack.objects.filter(edition="teacher").exists()
    assert api(newcomer).get("/api/v1/packs/").status_code in (200, 403)
    client.force_login(teacher)
    assert client.post(f"/packs/page/{tier_page.pk}/request/", form).status_code == 302
    assert Pack.objects.filter(edition="teacher").exists()


def test_a_new_account_cannot_read_a_quiz_outside_an_assignment(tier_page, newcomer, teacher):
    quiz = Quiz.objects.get(page=tier_page)
    assert api(newcomer).get(f"/api/v1/quizzes/{quiz.pk}/").status_code == 404
    assert api(teacher).get(f"/api/v1/quizzes/{quiz.pk}/").status_code == 200


def test_a_new_account_is_sent_to_the_honest_page_instead_of_making_a_class(client, newcomer):
    client.force_login(newcomer)
    for url in ("/classes/", "/classes/new/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/schools/", url
    response = client.post("/classes/new/", {"name": "7R", "default_tier": "t2"})
    assert response.status_code == 302 and response["Location"] == "/schools/"
    assert not Classroom.objects.exists()
    page = client.get("/schools/")
    assert page.status_code == 200
    assert "Waiting for verification" in page.content.decode()


def test_a_new_account_cannot_make_a_class_or_reach_teacher_endpoints_through_the_api(
    newcomer, teacher
):
    made = api(newcomer).post("/api/v1/classes/", {"name": "7R", "default_tier": "t1"})
    assert made.status_code == 403
    assert not Classroom.objects.exists()
    assert (
        api(teacher).post("/api/v1/classes/", {"name": "7R", "default_tier": "t1"}).status_code
        == 201
    )


def test_a_class_of_a_teacher_not_verified_takes_no_pupils_any_way(client, newcomer, teacher):
    """A class left from before verification (or from a teacher since removed from their
    school): no manual add, no CSV import, no API add, and its join code makes no account."""
    own = ClassroomFactory(teacher=newcomer)
    pupils_before = User.objects.filter(role="pupil").count()
    client.force_login(newcomer)
    assert (
        client.post(f"/classes/{own.pk}/pupils/add/", {"names": "Amara K.\nBen T."}).status_code
        == 404
    )
    upload = SimpleUploadedFile("pupils.csv", b"name\nAmara K.\n", "text/csv")
    assert client.post(f"/classes/{own.pk}/pupils/add/", {"file": upload}).status_code == 404
    added = api(newcomer).post(
        f"/api/v1/classes/{own.pk}/pupils/", {"names": ["Amara K."]}, format="json"
    )
    assert added.status_code in (403, 404)
    client.logout()
    joined = client.post("/join/", {"code": own.join_code, "name": "Noor A."})
    assert joined.status_code == 400
    assert User.objects.filter(role="pupil").count() == pupils_before
    assert not Membership.objects.filter(classroom=own).exists()
    # The same code works once the class's owner is verified.
    newcomer.verified_at = teacher.verified_at
    newcomer.save(update_fields=["verified_at"])
    assert client.post("/join/", {"code": own.join_code, "name": "Noor A."}).status_code == 201
    assert Membership.objects.filter(classroom=own).count() == 1


def test_the_navigation_offers_verification_not_classes(client, newcomer):
    client.force_login(newcomer)
    html = client.get("/schools/").content.decode()
    assert 'href="/schools/"' in html and 'href="/classes/"' not in html


def test_pupils_and_visitors_do_not_get_the_school_page(client, pupil):
    assert client.get("/schools/").status_code == 302  # to sign in
    client.force_login(pupil)
    assert client.get("/schools/").status_code == 403
