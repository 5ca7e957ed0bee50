"""The lesson page runs a constant number of queries whatever its size."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SourceFactory, TermFactory, lesson_body, make_curriculum


def queries_for(client, url) -> int:
    cache.clear()  # measure the uncached render: the worst case
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_lesson_queries_do_not_grow_with_blocks_sources_and_terms(client, db):
    small = make_curriculum(tiers=("t2",), lessons_per_tier=1, n_sources=3, n_terms=3)
    lesson = small["lessons"]["t2"][0]
    baseline = queries_for(client, lesson.url)

    sources = [SourceFactory() for _ in range(9)]
    terms = [TermFactory() for _ in range(9)]
    lesson.body = lesson_body(sources, terms, n_facts=12)
    lesson.save_revision().publish()
    lesson.keywords.set(terms)
    bigger = queries_for(client, lesson.url)
    assert bigger == baseline
    # session/user-free anonymous render: routing (4), site, lesson context (module, tier,
    # lessons, tiers, terms, references, misconceptions), body snippets and images, revisions.
    assert baseline <= 30


def test_anonymous_repeat_view_is_served_from_cache(client, db):
    lesson = make_curriculum(tiers=("t1",), lessons_per_tier=1)["lessons"]["t1"][0]
    cache.clear()
    first = client.get(lesson.url)
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(lesson.url)
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert len(ctx) <= 2


def test_publishing_invalidates_the_cached_page(client, db):
    lesson = make_curriculum(tiers=("t1",), lessons_per_tier=1)["lessons"]["t1"][0]
    client.get(lesson.url)
    lesson.title = "A brand new title"
    lesson.save_revision().publish()
    assert b"A brand new title" in client.get(lesson.url).content
