"""Where a page URL leads, found by one query instead of one per URL segment.

Wagtail routes a URL by finding the request's site (a query), the site's root in the active
language, then each child by its slug: a lesson five levels down cost eleven queries before its
view ran. Here the result of that walk (the site, the page and the path left over for a
routable page's own views) is kept in the shared cache for the host, language and path, under
the content version (lessons.cache), and a later request fetches only the page by its id.

The database stays the judge: a page that is gone, has moved or has a new slug no longer
matches its entry and is routed by Wagtail's walk again; one that is no longer live gets
Wagtail's 404 from its own `route()`.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, Site

from .cache import TTL, content_version

SITE_FIELDS = tuple(f.attname for f in Site._meta.concrete_fields)


def route_for_request(request, path: str):
    """Wagtail's `Page.route_for_request(request, path)`, from the cache when it can be, and
    remembered on the request where Wagtail's serve view looks for it."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    key = _key(request, path)
    entry = cache.get(key)
    if entry is not None and _route_from(request, entry):
        return request._wagtail_route_for_request
    result = Page.route_for_request(request, path)
    entry = _entry(request, path, result)
    if entry is not None:
        cache.set(key, entry, TTL)
    return result


def _key(request, path: str) -> str:
    hostname = split_domain_port(request._get_raw_host())[0]
    where = f"{hostname}|{request.get_port()}|{translation.get_language()}|{path}"
    digest = hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    return f"lessons:route:{content_version()}:{digest}"


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
    try:
        model = apps.get_model(label)
    except LookupError:
        return False
    page = model._default_manager.select_related("locale").filter(pk=page_id).first()
    if page is None or page.url_path != url_path:
        return False
    request._wagtail_site = Site(**site_fields)
    try:
        request._wagtail_route_for_request = page.route(request, list(remaining))
    except Http404:
        request._wagtail_route_for_request = None
    return True
