"""Purging pages from the CDN in front of the site (Wagtail's frontend-cache backends).

What goes when a page changes: the page in every language it has, the pages that show it (its
ancestors, such as the module-tier, module and curriculum index, and its siblings, which link
to it), and whatever else an app says shows those pages (packs register their public download
URLs: `register_page_urls`). The page's subtree goes too (a privacy change covers it, and its
pages show the page in their breadcrumbs); a move also takes the URLs the subtree had before.

Only the request's signal handler runs in the editor's request, and it only queues
(`reelearn.core.receivers`); URLs are worked out and purged by `cdn_purge_task` on Celery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from types import SimpleNamespace

from django.conf import settings
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

logger = logging.getLogger(__name__)

PageUrls = Callable[[list[Page]], Iterable[str]]
_page_url_sources: list[PageUrls] = []


def register_page_urls(source: PageUrls) -> None:
    """A higher app adds the URLs that show these pages' content (from its AppConfig.ready)."""
    if source not in _page_url_sources:
        _page_url_sources.append(source)


def cdn_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def page_urls(page: Page, *, cache_object=None) -> set[str]:
    """The page's own cached URLs (its `get_cached_paths`), whatever its state."""
    batch = PurgeBatch(cache_object=cache_object)
    batch.add_page(page)
    return batch.urls


def _with_translations(pages: Iterable[Page]) -> list[Page]:
    keys = {page.translation_key for page in pages}
    return list(Page.objects.filter(translation_key__in=keys).select_related("locale"))


def _relatives(pages: list[Page]) -> list[Page]:
    """Live ancestors below the tree's root, and live siblings: the pages that show these."""
    ancestors: set[str] = set()
    parents: set[str] = set()
    for page in pages:
        steps = range(2 * page.steplen, len(page.path), page.steplen)
        ancestors.update(page.path[:end] for end in steps)
        if page.depth > 2:
            parents.add(page.path[: -page.steplen])
    if not ancestors and not parents:
        return []
    query = Page.objects.none()
    if ancestors:
        query |= Page.objects.filter(path__in=ancestors)
    for parent in parents:
        query |= Page.objects.filter(path__startswith=parent, depth=len(parent) // Page.steplen + 1)
    return list(query.live().select_related("locale"))


def _subtrees(roots: list[Page]) -> list[Page]:
    if not roots:
        return []
    query = Page.objects.none()
    for root in roots:
        query |= Page.objects.filter(path__startswith=root.path, depth__gt=root.depth)
    return list(query.live().select_related("locale"))


def _moved_urls(page: Page, url_path_before: str, *, cache_object) -> set[str]:
    """The URLs the page and its live descendants had before a move (paths rewritten back)."""
    urls: set[str] = set()
    after = page.url_path
    for moved in [*_subtrees([page]), page]:
        if moved.url_path.startswith(after):  # else moved again since: another move's URLs
            moved.url_path = url_path_before + moved.url_path[len(after) :]
            urls |= page_urls(moved.specific_deferred, cache_object=cache_object)
    return urls


def cdn_purge_urls(
    *, page_ids: Iterable[int] = (), moves: Iterable[tuple[int, str]] = (), urls: Iterable[str] = ()
) -> list[str]:
    """The URLs to purge for pages that changed (`page_ids`) or moved (`moves`: page id and its
    url_path before), plus `urls` known already (those of a page being deleted).

    Each page goes in every language, with its live subtree (a restriction covers it, and its
    pages show the page's title in their breadcrumbs), its live ancestors and siblings (which
    list or link to it), and what registered sources add; a moved page's subtree also goes at
    the URLs it had before. Pages gone meanwhile are skipped."""
    moves = dict(moves)
    found = Page.objects.filter(pk__in={*page_ids, *moves}).select_related("locale")
    by_id = {page.pk: page for page in found}
    changed = _with_translations(by_id.values())
    pages = {page.pk: page for page in [*changed, *_subtrees(changed)]}
    pages.update((page.pk, page) for page in _relatives(changed))
    cache_object = SimpleNamespace()  # Wagtail keeps the site root paths on it
    collected = set(urls)
    for page in pages.values():
        collected |= page_urls(page.specific_deferred, cache_object=cache_object)
    for pk, url_path_before in moves.items():
        if pk in by_id:
            collected |= _moved_urls(by_id[pk], url_path_before, cache_object=cache_object)
    for source in _page_url_sources:
        collected.update(source(list(pages.values())))
    return sorted(collected)


def cdn_purge(**changes) -> int:
    """Purge what `cdn_purge_urls` names through the configured backends, here and now (the
    caller is a Celery task). Returns the number of URLs sent."""
    if not cdn_enabled():
        return 0
    urls = cdn_purge_urls(**changes)
    if urls:
        # Wagtail's purge, run in this worker rather than handed to django-tasks' backend.
        purge_urls_from_cache_task.call(urls)
        logger.info("CDN: purged %d URLs", len(urls))
    return len(urls)
