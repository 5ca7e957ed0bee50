"""Per-revision caching of rendered lesson bodies and of whole anonymous responses.

Keys include a content version that every publish, unpublish or snippet save increments
(lessons.signals), so nothing stale is ever served after an editor publishes.
"""

from __future__ import annotations

from django.core.cache import cache

VERSION_KEY = "lessons:content-version"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version
