"""Anonymous curriculum pages are the same bytes for every visitor: a CDN or a browser may
keep them five minutes (public, max-age=300), they carry no CSRF token and do not vary on
cookies, and an ETag lets a returning browser get a 304 instead of the page."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def assert_public(response) -> None:
    assert response.status_code == 200
    assert cache_control(response) == {"public", "max-age=300"}
    assert "cookie" not in response.get("Vary", "").lower()
    assert not response.cookies  # no CSRF (or any other) cookie
    assert b"csrfmiddlewaretoken" not in response.content
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("which", ["lesson", "tier", "module", "index", "glossary"])
def test_anonymous_pages_are_public_for_five_minutes_without_token_or_vary_cookie(
    client, curriculum, which
):
    url = {
        "lesson": curriculum["lessons"]["t1"][0].url,
        "tier": curriculum["tier_pages"]["t1"].url,
        "module": curriculum["module"].url,
        "index": curriculum["index"].url,
        "glossary": "/glossary/",
    }[which]
    first, second = client.get(url), client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    for response in (first, second):
        assert_public(response)
    assert second["ETag"] == first["ETag"] and second.content == first.content
    assert second["Content-Language"] == first["Content-Language"] == "en"
    assert second["X-Frame-Options"] == "DENY"


def test_a_matching_etag_gets_a_304_without_the_page(client, curriculum):
    url = curriculum["lessons"]["t1"][0].url
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "public" in again["Cache-Control"]
    other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content


def test_a_publish_gives_the_page_a_new_etag(client, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    etag = client.get(lesson.url)["ETag"]
    lesson.title = "A brand new title"
    lesson.save_revision().publish()
    response = client.get(lesson.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and b"A brand new title" in response.content
    assert response["ETag"] != etag


def test_a_translated_page_is_cached_and_public_too(client, curriculum):
    from .test_signed_in_lesson_page import publish_translation

    burmese = publish_translation(curriculum["lessons"]["t1"][0], "my")
    first, second = client.get(burmese.url), client.get(burmese.url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert_public(second)
    assert second["Content-Language"] == "my"


def test_pages_for_signed_in_readers_are_private_and_not_stored(client, curriculum, pupil):
    client.force_login(pupil)
    response = client.get(curriculum["lessons"]["t1"][0].url)
    assert {"private", "no-store"} <= cache_control(response)
    assert "ETag" not in response and "X-Cache" not in response


def test_signing_in_empties_the_browsers_cache_of_the_site(client, curriculum, pupil):
    """A browser kept the anonymous lesson five minutes; once signed in, the pupil must get
    their own page (progress, the finished button) at once."""
    response = client.post("/accounts/sign-in/", {"login": pupil.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    later = client.get(curriculum["lessons"]["t1"][0].url)
    assert "Clear-Site-Data" not in later
