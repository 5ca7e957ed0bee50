"""Pack pages and downloads: who gets what, bad input, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from lessons.models import LessonPage
from reelearn.packs.models import Pack

from .helpers import build

# Who gets which file, not what it says: PDFs shared (tests/packs/shared_renders.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_pdfs")]

PERSONAS = ("anonymous", "pupil", "teacher", "other_teacher", "editor")
SEES_TEACHER = {
    "anonymous": False,
    "pupil": False,
    "teacher": True,
    "other_teacher": True,
    "editor": True,
}


@pytest.fixture
def as_persona(client, request):
    def login(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return login


@pytest.fixture
def both_editions(tier_page, django_capture_on_commit_callbacks):
    return {
        edition: build(
            django_capture_on_commit_callbacks, page=tier_page, edition=edition, paper="a4"
        )
        for edition in ("student", "teacher")
    }


def test_download_access_matrix(as_persona, both_editions, tier_page):
    for persona in PERSONAS:
        client = as_persona(persona)
        student = client.get(f"/packs/{both_editions['student'].pk}/download/")
        assert student.status_code == 200, persona
        assert student["Content-Type"] == "application/pdf"
        assert "attachment" in student["Content-Disposition"]
        assert "public" in student["Cache-Control"]
        teacher = client.get(f"/packs/{both_editions['teacher'].pk}/download/")
        latest = client.get(f"/packs/page/{tier_page.pk}/teacher-a4.pdf")
        if SEES_TEACHER[persona]:
            assert (teacher.status_code, latest.status_code) == (200, 200), persona
            assert b"".join(teacher.streaming_content).startswith(b"%PDF")
            assert "private" in teacher["Cache-Control"]
            assert "no-store" in teacher["Cache-Control"]
        else:
            assert (teacher.status_code, latest.status_code) == (404, 404), persona
        client.logout()


def test_status_page_lists_the_editions_a_persona_may_have(as_persona, both_editions, tier_page):
    for persona in PERSONAS:
        response = as_persona(persona).get(f"/packs/page/{tier_page.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Student edition" in html and "Up to date" in html
        assert f"/packs/{both_editions['student'].pk}/download/" in html
        assert ("Teacher edition" in html) is SEES_TEACHER[persona], persona
        teacher_link = f"/packs/{both_editions['teacher'].pk}/download/"
        assert (teacher_link in html) is SEES_TEACHER[persona], persona
        as_persona("anonymous").logout()


def test_a_current_pack_downloads_at_once_from_the_stable_url(client, both_editions, tier_page):
    response = client.get(f"/packs/page/{tier_page.pk}/student-a4.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Pack.objects.count() == 2  # nothing new was made


def test_a_pack_not_made_yet_is_requested_and_the_reader_sent_to_its_status(
    client, tier_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(f"/packs/page/{tier_page.pk}/student-letter.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/packs/page/{tier_page.pk}/#pack-student-letter"
    assert len(callbacks) == 1
    page = client.get(response["Location"])
    assert "Queued" in page.content.decode()


def test_the_form_makes_a_pack(client, tier_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/packs/page/{tier_page.pk}/request/",
            {"edition": "student", "paper": "letter", "zipped": "on"},
        )
    assert response.status_code == 302
    assert response["Location"].endswith("#pack-zip-letter")
    assert Pack.objects.get().kind == Pack.Kind.MODULE_ZIP


def test_rebuilding_shows_the_previous_version(
    client, both_editions, lesson, tier_page, django_capture_on_commit_callbacks
):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = "A new title"
    with django_capture_on_commit_callbacks(execute=False):  # no worker got to it yet
        lesson.save_revision().publish()
        html = client.get(f"/packs/page/{tier_page.pk}/").content.decode()
    assert "Being rebuilt" in html
    assert "The previous version is available" in html
    assert f"/packs/{both_editions['student'].pk}/download/" in html
    assert "Up to date" not in html.split('id="pack-student-a4"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    "url",
    [
        "/packs/page/{draft}/",
        "/packs/page/{draft}/student-a4.pdf",
        "/packs/page/999999/",
        "/packs/page/999999/student-a4.pdf",
        "/packs/page/{module}/",
        "/packs/999999/download/",
    ],
)
def test_drafts_missing_and_other_pages_are_404(client, curriculum, tier_page, url):
    draft = curriculum["tier_pages"]["t1"].add_child(
        instance=LessonPage(
            title="Draft lesson",
            slug="draft",
            outcome="I can wait.",
            live=False,
            key_points=[("point", "a"), ("point", "b"), ("point", "c")],
        )
    )
    url = url.format(draft=draft.pk, module=curriculum["module"].pk)
    assert client.get(url).status_code == 404


def test_a_post_for_a_draft_is_404(client, curriculum, tier_page):
    LessonPage.objects.filter(pk=curriculum["lessons"]["t1"][0].pk).update(live=False)
    response = client.post(
        f"/packs/page/{curriculum['lessons']['t1'][0].pk}/request/",
        {"edition": "student", "paper": "a4"},
    )
    assert response.status_code == 404


def test_packs_of_an_unpublished_page_are_no_longer_served(client, both_editions, tier_page):
    tier_page.unpublish()
    assert client.get(f"/packs/{both_editions['student'].pk}/download/").status_code == 404


@pytest.mark.parametrize("variant", ["pupil-a4", "student-a3", "student", "teacher-legal"])
def test_unknown_edition_or_paper_is_400(client, tier_page, variant):
    response = client.get(f"/packs/page/{tier_page.pk}/{variant}.pdf")
    assert response.status_code == 400
    assert "Unknown edition or paper size" in response.content.decode()


def test_a_bad_form_is_400_naming_the_field(client, tier_page):
    response = client.post(
        f"/packs/page/{tier_page.pk}/request/", {"edition": "student", "paper": "a3"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and "Paper size" in html
    assert not Pack.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", "pupil"])
def test_teacher_edition_cannot_be_requested_by_pupils_or_visitors(as_persona, persona, tier_page):
    response = as_persona(persona).post(
        f"/packs/page/{tier_page.pk}/request/", {"edition": "teacher", "paper": "a4"}
    )
    assert response.status_code == 404
    assert not Pack.objects.exists()


def test_a_zip_is_only_for_modules(client, lesson):
    response = client.post(
        f"/packs/page/{lesson.pk}/request/", {"edition": "student", "paper": "a4", "zipped": "on"}
    )
    assert response.status_code == 400
    assert client.get(f"/packs/page/{lesson.pk}/zip-a4.zip").status_code == 404


def test_status_page_queries_are_fixed(
    client,
    teacher,
    both_editions,
    tier_page,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    # Six slots with packs (student, teacher, zip; A4 built, Letter built too).
    for edition in ("student", "teacher"):
        build(django_capture_on_commit_callbacks, page=tier_page, edition=edition, paper="letter")
    client.force_login(teacher)
    # session, user; page, its view restrictions, specific page; module; view restrictions
    # and lessons with their misconceptions, content guidance and keywords; quizzes with
    # questions and choices; terms; sources (no images here); printable sheets; teacher
    # guides; the page's packs; the site (for the breadcrumb link).
    with django_assert_num_queries(20):
        response = client.get(f"/packs/page/{tier_page.pk}/")
    assert response.content.decode().count("Up to date") == 4


def test_pack_links_include_needs_no_queries(
    rf_request, tier_page, lesson, django_assert_num_queries, teacher
):
    template = Template('{% include "packs/includes/pack_links.html" with page=page %}')
    with django_assert_num_queries(0):
        visitor = template.render(Context({"page": tier_page, "request": rf_request()}))
        lesson_html = template.render(Context({"page": lesson, "request": rf_request()}))
        teacher_html = template.render(Context({"page": tier_page, "request": rf_request(teacher)}))
    assert f"/packs/page/{tier_page.pk}/student-a4.pdf" in visitor
    assert "teacher-a4" not in visitor and "zip-a4" in visitor
    assert "zip-a4" not in lesson_html
    assert f"/packs/page/{tier_page.pk}/teacher-letter.pdf" in teacher_html


@pytest.fixture
def rf_request():
    from django.contrib.auth.models import AnonymousUser

    def make(user=None):
        request = RequestFactory().get("/")
        request.user = user or AnonymousUser()
        return request

    return make
