"""What the curriculum pages keep in the shared cache, keyed by the content version.

Every publish, unpublish, move, privacy change or snippet save increments the version
(lessons.signals), so nothing stale is served after an editor's change: the whole anonymous
responses (lessons.middleware), the rendered parts of a lesson every reader shares
(lessons.fragments), where a URL leads (lessons.routes) and which pages have view
restrictions (below).

A page request reads the version once (`version_pinned`); what cannot change within one
version is also kept in each process (`VersionedMemo`), so a signed-in page costs one round
trip to the shared cache for all of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache

VERSION_KEY = "lessons:content-version"
TTL = 60 * 60 * 24

# A request's version, once read (see version_pinned): a one-item list, filled on first use.
_pinned: ContextVar[list[int | None] | None] = ContextVar("lessons_content_version", default=None)


def content_version() -> int:
    holder = _pinned.get()
    if holder is not None and holder[0] is not None:
        return holder[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), None)
        version = cache.get(VERSION_KEY) or _fresh_version()
    if holder is not None:
        holder[0] = version
    return version


def bump_content_version() -> None:
    """Invalidate every cached page, part, route and restriction (see above)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, _fresh_version(), None)


def _fresh_version() -> int:
    """The first version after the shared cache lost it (emptied, restarted): the clock in
    microseconds, past any version counted before, so no process takes what it kept in
    memory for an old version as current."""
    return time.time_ns() // 1000


@contextmanager
def version_pinned(version: int | None = None) -> Iterator[None]:
    """One version for the whole of a page read: `version`, or the shared cache's, read the
    first time something asks (never, for a request that does not), so a publish during the
    request shows from the next one on. Inside another pin, that one holds."""
    if version is None and _pinned.get() is not None:
        yield
        return
    token = _pinned.set([version])
    try:
        yield
    finally:
        _pinned.reset(token)


class VersionedMemo:
    """Per process, values that cannot change within one content version: each is fetched
    from the shared cache (or computed) once per version, not on every request. A new
    version drops the old values; at most `size` are kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.values: dict[tuple[int, Hashable], Any] = {}
        self.version: int | None = None
        self.lock = threading.Lock()

    def get(self, key: Hashable, fetch: Callable[[int], Any]) -> Any:
        """The value for `key` in this version; `fetch(version)` finds it (None: not kept)."""
        version = content_version()
        try:
            return self.values[version, key]
        except KeyError:
            pass
        value = fetch(version)
        if value is not None:
            with self.lock:
                if self.version != version or len(self.values) >= self.size:
                    # A new dict: other threads may be reading the old one.
                    self.values, self.version = {}, version
                self.values[version, key] = value
        return value


_restrictions = VersionedMemo(size=1)


def restricted_page_ids() -> frozenset[int]:
    """The pages that carry a view restriction (login, groups or password), anywhere.

    Usually none: the curriculum is public. Then no page needs Wagtail's check of its
    ancestors' restrictions (two queries per page served, and one per `.public()` listing);
    when some exist, every check is Wagtail's own.
    """
    return _restrictions.get("restricted", _fetch_restricted_page_ids)


def _fetch_restricted_page_ids(version: int) -> frozenset[int]:
    key = f"lessons:restricted:{version}"
    ids = cache.get(key)
    if ids is None:
        from wagtail.models import PageViewRestriction

        ids = frozenset(PageViewRestriction.objects.values_list("page_id", flat=True))
        cache.set(key, ids, TTL)
    return ids
