"""Page URLs routed from the cache (lessons.routes): one query for the page, and the database
still decides what a URL serves."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lessons.models import LessonPage, Printable
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(pupil):
    """A signed-in reader: every request reaches the view (no anonymous page cache)."""
    client = Client()
    client.force_login(pupil)
    return client


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return [q["sql"] for q in ctx.captured_queries if "wagtailcore_page" in q["sql"]]


def test_a_routed_url_costs_no_page_query_once_served(reader, curriculum):
    url = curriculum["lessons"]["t3"][1].url
    assert len(page_queries(reader, url)) > 1  # the first time, Wagtail walks the tree
    assert page_queries(reader, url) == []  # then the route and the page are known


def test_a_renamed_page_leaves_its_old_url(reader, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    old = lesson.url
    assert reader.get(old).status_code == 200
    lesson.slug = "renamed"
    lesson.save_revision().publish()
    new = LessonPage.objects.get(pk=lesson.pk).url
    assert new == old.replace("/lesson-1/", "/renamed/")
    gone = reader.get(old)  # not the page from its cached route (perhaps a redirect to it)
    assert gone.status_code == 404 or (gone.status_code, gone["Location"]) == (301, new)
    assert reader.get(new).status_code == 200


def test_a_deleted_page_is_a_404(reader, curriculum):
    lesson = curriculum["lessons"]["t1"][1]
    url = lesson.url
    assert reader.get(url).status_code == 200
    lesson.delete()
    assert reader.get(url).status_code == 404


def test_unpublishing_and_moving_are_followed(reader, curriculum):
    lesson, other_tier = curriculum["lessons"]["t1"][1], curriculum["tier_pages"]["t3"]
    lesson.slug = "wandering"
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    url = lesson.url
    assert reader.get(url).status_code == 200
    lesson.move(other_tier, pos="last-child")
    moved = LessonPage.objects.get(pk=lesson.pk)
    assert moved.url != url
    old = reader.get(url)  # not the page from its cached route: Wagtail's redirect to it
    assert old.status_code == 301 and old["Location"] == moved.url
    assert reader.get(moved.url).status_code == 200
    moved.unpublish()
    assert reader.get(moved.url).status_code == 404


def test_a_routable_pages_own_views_are_routed_from_the_cache(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    Printable.objects.create(page=lesson, key="cards-1", title="Sort the cards", kind="cards")
    teacher = Client()
    teacher.force_login(TeacherFactory())
    for _ in range(2):
        guide = teacher.get(f"{lesson.url}guide/")
        assert guide.status_code == 200 and b"TEACHER-GUIDE-SECRET" in guide.content
        sheet = teacher.get(f"{lesson.url}sheets/cards-1/")
        assert sheet.status_code == 200 and b"Sort the cards" in sheet.content
        assert teacher.get(f"{lesson.url}sheets/no-such-sheet/").status_code == 404
        assert teacher.get(f"{lesson.url}no-such-view/").status_code == 404
    reader = Client()
    reader.force_login(pupil)
    for _ in range(2):
        assert reader.get(f"{lesson.url}guide/").status_code == 404  # teachers only


def test_an_unknown_url_stays_a_404(reader, curriculum):
    for _ in range(2):
        assert reader.get("/curriculum/no-such-module/").status_code == 404
