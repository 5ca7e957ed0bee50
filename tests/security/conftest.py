"""The security world (see world.py) and seeds for crawling it."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .world import build_world


@pytest.fixture(autouse=True)
def _fresh_cache():
    """DRF's rate limits, the lock-outs' neighbours and the page cache start empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(teacher, other_teacher, pupil, django_capture_on_commit_callbacks):
    """With built packs (PDFs, a zip): a few seconds each."""
    return build_world(
        teacher=teacher,
        other_teacher=other_teacher,
        pupil=pupil,
        captured=django_capture_on_commit_callbacks,
    )


@pytest.fixture
def bare_world(teacher, other_teacher, pupil):
    """The same people, classes, quiz and attempts, without packs."""
    return build_world(teacher=teacher, other_teacher=other_teacher, pupil=pupil, packs=False)


SEARCHES = (
    "teacher guide secret",
    "module guide secret",
    "answer key marker",
    "zanzibar",
    "quokka classmate",
    "xylophone outsider",
    "other pupil answer marker",
    "kestrel",
    "rare earth",
    "magnets",
    "draft revision marker",
    "unpublished page marker",
    "draft quiz marker",
)
PAGE_TYPES = (
    "lessons.HomePage",
    "lessons.CurriculumIndexPage",
    "lessons.ModulePage",
    "lessons.ModuleTierPage",
    "lessons.LessonPage",
)


def seeds(client, world, *, everything: bool = True) -> list[str]:
    """Where a crawl starts: the entry points and every route with ids filled in from the
    world (others' ids included); with `everything`, also the content API, search for every
    marker, the sitemap, every pack, every teacher guide URL and every API GET endpoint."""
    from .crawler import route_urls, schema_get_urls

    ids = world.ids()
    urls = [
        "/",
        "/my-work/",
        "/curriculum/",
        "/classes/",
        "/join/",
        "/accounts/sign-in/",
        "/accounts/sign-up/",
        "/accounts/password/",
    ]
    if not everything:
        return list(dict.fromkeys(urls + route_urls(ids)))
    pages = [
        *world.curriculum["tier_pages"].values(),
        *[p for tier in world.curriculum["lessons"].values() for p in tier],
        world.curriculum["unpublished"],
    ]
    urls += [
        "/sitemap.xml",
        "/glossary/",
        "/api/v2/pages/?fields=*&limit=20",
        "/api/v2/images/?fields=*",
        "/api/schema/",
        "/api/docs/",
        "/healthz",
    ]
    urls += [f"/api/v2/pages/?type={t}&fields=*&limit=20" for t in PAGE_TYPES]
    urls += [f"/api/v2/pages/{p.pk}/?fields=*" for p in pages]
    for query in SEARCHES:
        urls += [
            f"/search/?q={query.replace(' ', '+')}",
            f"/api/v2/pages/?search={query.replace(' ', '+')}&fields=*",
        ]
    urls += [f"/packs/{pack.pk}/download/" for pack in world.packs.values()]
    urls += [p.url + suffix for p in pages if p.url for suffix in ("", "guide/")]
    urls += schema_get_urls(client, ids)
    urls += route_urls(ids)
    return list(dict.fromkeys(urls))


@pytest.fixture
def crawl_as():
    """crawl_as(world, user or None) → (the Crawl of what that user reaches, their client)."""
    from django.test import Client

    from .crawler import crawl

    def run(world, user, *, everything: bool = True, **kwargs):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        return crawl(client, seeds(client, world, everything=everything), **kwargs), client

    return run
