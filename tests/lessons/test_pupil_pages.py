"""A signed-in pupil's lesson page comes from one rendering shared by every pupil
(lessons.pupil_pages), with each pupil's name and CSRF token put in. It must be exactly the
page rendered for that pupil alone, and carry nothing of anyone else."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lessons import pupil_pages
from lessons.models import LessonPage
from reelearn.classroom.models import LessonProgress
from tests.factories import PupilFactory
from tests.lessons.test_signed_in_lesson_page import publish_translation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def without_tokens(content: bytes) -> bytes:
    return TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', content)


def rendered_alone(monkeypatch, client, url):
    """The page as the ordinary render gives it to this reader (the shared rendering off)."""
    with monkeypatch.context() as patch:
        patch.setattr(pupil_pages, "pupil_page", lambda page, request: None)
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_each_pupil_gets_the_page_rendered_for_them_with_their_own_name(
    curriculum, pupil, monkeypatch
):
    lesson = curriculum["lessons"]["t1"][0]
    first = signed_in(pupil)
    assert first.get(lesson.url).status_code == 200  # renders the shared page
    other = PupilFactory(display_name="Bryn O.")
    client = signed_in(other)
    shared = client.get(lesson.url)
    assert shared.status_code == 200
    alone = rendered_alone(monkeypatch, client, lesson.url)
    assert without_tokens(shared.content) == without_tokens(alone.content)
    for header in ("Content-Type", "Content-Language", "Cache-Control", "Vary"):
        assert shared.get(header) == alone.get(header), header
    html = shared.content.decode()
    assert "Sign out (Bryn O.)" in html and "Amara K." not in html
    assert "I have finished this lesson" in html and "\ue000" not in html
    assert shared["Cache-Control"] == "private, no-store"


def test_a_name_is_escaped_where_it_is_put_in(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    signed_in(pupil).get(lesson.url)
    html = signed_in(PupilFactory(display_name='<b>Jo & "Al"</b>')).get(lesson.url)
    html = html.content.decode()
    assert "Sign out (&lt;b&gt;Jo &amp; &quot;Al&quot;&lt;/b&gt;)" in html
    assert "<b>Jo" not in html


def test_the_pages_token_is_the_pupils_own_and_works(
    curriculum, pupil, django_capture_on_commit_callbacks
):
    lesson = curriculum["lessons"]["t1"][0]
    signed_in(PupilFactory()).get(lesson.url)  # someone else rendered the shared page
    client = signed_in(pupil, enforce_csrf_checks=True)
    page = client.get(lesson.url)
    tokens = set(TOKEN.findall(page.content))
    assert len(tokens) == 1  # one token for the page's two forms, as Django renders it
    form = re.search(rb'<form method="post" action="([^"]+)" class="lesson-done">', page.content)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            form[1].decode(),
            {"csrfmiddlewaretoken": tokens.pop().decode(), "next": lesson.url},
        )
    assert done.status_code == 302
    assert LessonProgress.objects.get(pupil=pupil, page=lesson).completed_at is not None
    # …and the message it left is shown on the lesson page once, then gone.
    after = client.get(done["Location"]).content.decode()
    assert "is marked as done." in after
    assert "is marked as done." not in client.get(lesson.url).content.decode()


def test_a_forged_or_missing_token_is_still_refused(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    client = signed_in(pupil, enforce_csrf_checks=True)
    client.get(lesson.url)
    done_url = f"/my-work/lessons/{lesson.pk}/done/"
    assert client.post(done_url, {"next": lesson.url}).status_code == 403
    forged = {"csrfmiddlewaretoken": "x" * 64, "next": lesson.url}
    assert client.post(done_url, forged).status_code == 403


def test_a_publish_reaches_the_next_pupil_at_once(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    client = signed_in(pupil)
    assert lesson.title in client.get(lesson.url).content.decode()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = "Magnets, renamed"
    lesson.save_revision().publish()
    html = signed_in(PupilFactory()).get(lesson.url).content.decode()
    assert "Magnets, renamed" in html


def test_each_language_has_its_own_page(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    spanish = publish_translation(lesson, "es")
    spanish.title = "Conoce a la familia"
    spanish.save_revision().publish()
    client = signed_in(pupil)
    english = client.get(lesson.url).content.decode()
    translated = client.get(spanish.url).content.decode()
    assert '<html lang="en"' in english and "Conoce a la familia" not in english
    assert '<html lang="es"' in translated and "Conoce a la familia" in translated
    assert "Cerrar sesión (Amara K.)" in translated


def test_teachers_and_addresses_with_a_query_are_rendered_for_themselves(
    curriculum, pupil, teacher
):
    lesson = curriculum["lessons"]["t1"][0]
    signed_in(pupil).get(lesson.url)
    as_teacher = signed_in(teacher).get(lesson.url).content.decode()
    assert "For teachers" in as_teacher and "I have finished this lesson" not in as_teacher
    assert "Sign out (Ms Rivera)" in as_teacher
    with_query = signed_in(pupil).get(lesson.url, {"from": "card"}).content.decode()
    assert "next=" in with_query and "%3Ffrom%3Dcard" in with_query
