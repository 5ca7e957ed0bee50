"""Where a page URL leads, found without a query per URL segment.

Wagtail routes a URL by finding the request's site (a query), the site's root in the active
language, then each child by its slug: a lesson five levels down cost eleven queries before its
view ran. Here the result of that walk (the site, the page and the path left over for a
routable page's own views) is kept in the shared cache for the host, language and path, under
the content version (lessons.cache), and the page itself in each process's memory for that
version: a signed-in reader's page costs no query to find.

Every publish, unpublish, move, slug change or deletion starts a new version (lessons.signals),
and with it a new walk. A page no longer live gets Wagtail's 404 from its own `route()`.
"""

from __future__ import annotations

import copy
import hashlib

from django.apps import apps
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from .cache import TTL, VersionedMemo, content_version

SITE_FIELDS = tuple(f.attname for f in Site._meta.concrete_fields)


def route_for_request(request, path: str):
    """Wagtail's `Page.route_for_request(request, path)`, from the cache when it can be, and
    remembered on the request where Wagtail's serve view looks for it."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    digest = _digest(request, path)
    entry = _entries.get(digest, lambda version: cache.get(f"lessons:route:{version}:{digest}"))
    if entry is not None and _route_from(request, entry):
        return request._wagtail_route_for_request
    result = Page.route_for_request(request, path)
    entry = _entry(request, path, result)
    if entry is not None:
        cache.set(f"lessons:route:{content_version()}:{digest}", entry, TTL)
        # The page as the next requests will take it (one query, once per version).
        _pages.get((entry[2], entry[1]), lambda version: _fetch_page(entry[2], entry[1]))
    return result


_entries = VersionedMemo(size=5000)
# Pages as served in this content version (their StreamFields deferred: the shared parts,
# rendered once, read them), so a signed-in reader's page costs no query to find.
_pages = VersionedMemo(size=500)


def _digest(request, path: str) -> str:
    hostname = split_domain_port(request._get_raw_host())[0]
    where = f"{hostname}|{request.get_port()}|{translation.get_language()}|{path}"
    return hashlib.blake2b(where.encode(), digest_size=16).hexdigest()


def _entry(request, path: str, result) -> tuple | None:
    """What a later request needs to find the same page again: the site's fields, the page's
    id, model and URL path, and the path components its own route() takes."""
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None:
        return None
    page = result[0]
    components = [c for c in path.split("/") if c]
    taken = _components_taken(components, page, site)
    if taken is None:
        return None  # not reached the way this module assumes: left to Wagtail every time
    return (
        {name: getattr(site, name) for name in SITE_FIELDS},
        page.pk,
        page._meta.label_lower,
        page.url_path,
        tuple(components[taken:]),
    )


def _fetch_page(label: str, page_id: int):
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    streams = [f.name for f in model._meta.concrete_fields if isinstance(f, StreamField)]
    return (
        model._default_manager.select_related("locale").defer(*streams).filter(pk=page_id).first()
    )


def _components_taken(components: list[str], page, site) -> int | None:
    """How many of the path's components Wagtail's walk took to reach `page` from the site's
    root (a translation of the root sits at the root's depth), or None if they disagree with
    the page's URL path."""
    taken = page.depth - site.root_page.depth
    if not 0 <= taken <= len(components):
        return None
    if taken and page.url_path.strip("/").split("/")[-taken:] != components[:taken]:
        return None
    return taken


def _route_from(request, entry) -> bool:
    """Route the request as `entry` says, if its page is still where it was."""
    site_fields, page_id, label, url_path, remaining = entry
    page = _pages.get((label, page_id), lambda version: _fetch_page(label, page_id))
    if page is None or page.url_path != url_path:
        return False
    page = copy.copy(page)  # each request its own: templates and hooks may set attributes
    request._wagtail_site = Site(**site_fields)
    try:
        request._wagtail_route_for_request = page.route(request, list(remaining))
    except Http404:
        request._wagtail_route_for_request = None
    return True
