"""What the curriculum pages keep in the shared cache, keyed by the content version.

Every publish, unpublish, move, privacy change or snippet save increments the version
(lessons.signals), so nothing stale is served after an editor's change: the whole anonymous
responses (lessons.middleware), the rendered parts of a lesson every reader shares
(lessons.fragments), where a URL leads (lessons.routes) and which pages have view
restrictions (below).
"""

from __future__ import annotations

from django.core.cache import cache

VERSION_KEY = "lessons:content-version"
TTL = 60 * 60 * 24


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def restricted_page_ids() -> frozenset[int]:
    """The pages that carry a view restriction (login, groups or password), anywhere.

    Usually none: the curriculum is public. Then no page needs Wagtail's check of its
    ancestors' restrictions (two queries per page served, and one per `.public()` listing);
    when some exist, every check is Wagtail's own.
    """
    key = f"lessons:restricted:{content_version()}"
    ids = cache.get(key)
    if ids is None:
        from wagtail.models import PageViewRestriction

        ids = frozenset(PageViewRestriction.objects.values_list("page_id", flat=True))
        cache.set(key, ids, TTL)
    return ids
