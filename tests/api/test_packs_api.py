"""POST /api/v1/packs/ (202 while building, 200 when ready), GET status, download."""

from __future__ import annotations

import pytest

from lessons.models import LessonPage
from reelearn.api.models import DeviceToken
from reelearn.packs.models import Pack

from ..packs.factories import make_assignment, make_class, make_quiz

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_pdfs")]

URL = "/api/v1/packs/"


@pytest.fixture
def tier_page(curriculum):
    page = curriculum["tier_pages"]["t1"]
    make_quiz(page)
    return page


def post(client, **data):
    return client.post(URL, data, content_type="application/json")


def test_asking_for_a_pack_answers_202_then_200_once_built(
    client, tier_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = post(client, page=tier_page.pk, edition="student", paper="a4")
    assert first.status_code == 202
    body = first.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert (body["kind"], body["edition"], body["paper"]) == ("module_tier", "student", "a4")
    status = client.get(f"{URL}{body['id']}/")
    assert status.status_code == 200 and status.json()["status"] == "queued"
    for callback in callbacks:  # the worker's turn
        callback()
    status = client.get(f"{URL}{body['id']}/").json()
    assert status["status"] == "ready" and status["page_count"] > 5
    again = post(client, page=tier_page.pk, edition="student", paper="a4")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    download = client.get(again.json()["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"edition": "pupil", "paper": "a4"}, "edition"),
        ({"edition": "student", "paper": "a3"}, "paper"),
        ({"edition": "student", "paper": "a4", "format": "tar"}, "format"),
        ({"edition": "teacher", "paper": "a4", "format": "zip"}, "edition"),
    ],
)
def test_bad_input_is_400_naming_the_field(client, teacher, tier_page, data, field):
    client.force_login(teacher)
    response = post(client, page=tier_page.pk, **data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
    assert not Pack.objects.exists()


def test_no_page_or_both_targets_is_400(client, tier_page):
    assert post(client, edition="student").json()["fields"].keys() == {"page"}
    assert post(client, page=tier_page.pk, assignment=1).status_code == 400


def test_a_zip_of_a_lesson_is_400(client, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    response = post(client, page=lesson.pk, format="zip")
    assert response.status_code == 400 and "format" in response.json()["fields"]


def test_drafts_and_missing_pages_are_404(client, curriculum, tier_page):
    LessonPage.objects.filter(pk=curriculum["lessons"]["t1"][0].pk).update(live=False)
    for page_id in (curriculum["lessons"]["t1"][0].pk, 999999, curriculum["module"].pk):
        response = post(client, page=page_id, edition="student", paper="a4")
        assert response.status_code == 404
        assert response.json()["status"] == 404
    assert not Pack.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("anonymous", False),
        ("pupil", False),
        ("teacher", True),
        ("other_teacher", True),
        ("editor", True),
    ],
)
def test_teacher_edition_access(
    client, request, tier_page, persona, allowed, django_capture_on_commit_callbacks
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, page=tier_page.pk, edition="teacher", paper="letter")
    assert response.status_code == (202 if allowed else 404)
    teacher_pack = Pack.objects.filter(edition="teacher").first()
    assert (teacher_pack is not None) is allowed
    if teacher_pack:
        assert client.get(f"{URL}{teacher_pack.pk}/").status_code == 200
        client.logout()
        assert client.get(f"{URL}{teacher_pack.pk}/").status_code == 404
        assert client.get(f"{URL}{teacher_pack.pk}/download/").status_code == 404


def test_token_clients_download_with_any_accept_header(
    client, teacher, tier_page, django_capture_on_commit_callbacks
):
    auth = f"Token {DeviceToken.issue(user=teacher)[1]}"
    with django_capture_on_commit_callbacks(execute=True):
        pack_id = client.post(
            URL,
            {"page": tier_page.pk, "edition": "teacher"},
            content_type="application/json",
            HTTP_AUTHORIZATION=auth,
        ).json()["id"]
    response = client.get(
        f"{URL}{pack_id}/download/", HTTP_ACCEPT="application/pdf", HTTP_AUTHORIZATION=auth
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_class_packs_only_for_the_class_teachers(
    client, teacher, other_teacher, pupil, tier_page, django_capture_on_commit_callbacks
):
    assignment = make_assignment(make_class(teacher, pupils=2), tier_page)
    for user in (other_teacher, pupil):
        client.force_login(user)
        assert post(client, assignment=assignment.pk).status_code == 404
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, assignment=assignment.pk, paper="letter")
    assert response.status_code == 202 and response.json()["kind"] == "class"
    pack_id = response.json()["id"]
    assert client.get(f"{URL}{pack_id}/").json()["status"] == "ready"
    client.force_login(other_teacher)
    assert client.get(f"{URL}{pack_id}/").status_code == 404


def test_list_shows_readable_packs_in_fixed_queries(
    client,
    teacher,
    tier_page,
    curriculum,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    lessons = curriculum["lessons"]["t1"]
    client.force_login(teacher)
    with django_capture_on_commit_callbacks():  # queued, not built: rows are what we list
        for page in (tier_page, *lessons):
            for edition in ("student", "teacher"):
                post(client, page=page.pk, edition=edition, paper="a4")
    # session, user; view restrictions (for "public pages"); count; page of packs
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.json()["count"] == 6
    client.logout()
    with django_assert_num_queries(3):  # view restrictions; count; page of packs
        anonymous = client.get(f"{URL}?page_id={tier_page.pk}")
    assert [p["edition"] for p in anonymous.json()["results"]] == ["student"]
