"""The curriculum pages' fast paths: anonymous pages from the cache, page URLs routed from it.

Anonymous GETs of curriculum pages (in any language: `/curriculum/…`, `/my/curriculum/…`)
are served from the shared cache, keyed by the content version, and may be kept by a CDN or a
browser for five minutes (`Cache-Control: public, max-age=300`, an ETag, 304 on a match,
no `Vary: Cookie`). Anyone with a session cookie (pupils, teachers, editors) gets a page of
their own (`private, no-store`), built around the parts every reader shares
(lessons.fragments), so nothing role-specific leaks across users; a publish anywhere bumps
the version.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language_from_path
from wagtail.views import serve as wagtail_serve

from .cache import TTL, VersionedMemo, content_version, version_pinned
from .routes import route_for_request

CACHED_PREFIXES = ("/curriculum/", "/glossary/")
# How long a browser or CDN may keep an anonymous page without asking again. A publish
# reaches them by the CDN purge on publish, or within this time.
PUBLIC_MAX_AGE = 300


class AnonymousPageCacheMiddleware:
    # Headers of a rendered page that its copies served from the cache repeat.
    KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._is_page_read(request):
            response = self.get_response(request)
            self._clear_browser_cache_on_sign_in(request, response)
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            with version_pinned():
                response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            return response
        key = f"anon-page:{request.get_full_path()}"
        with version_pinned():
            version = content_version()
            hit = _anonymous_pages.get(key, lambda version: _shared_page(key, version))
            if hit is not None:
                _version, content, headers, etag = hit
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                response["X-Cache"] = "hit"
                return self._public(request, response, etag)
            response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not getattr(request, "_dont_cache_page", False)
        ):
            etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
            headers = [(h, response[h]) for h in self.KEPT_HEADERS if response.has_header(h)]
            cache.set(key, (version, response.content, headers, etag), TTL)
            response["X-Cache"] = "miss"
            return self._public(request, response, etag)
        return response

    @staticmethod
    def _is_page_read(request) -> bool:
        """A GET of a curriculum page (in any language), not an editor's preview."""
        if request.method != "GET" or "preview" in request.GET:
            return False
        path = request.path_info
        language = get_language_from_path(path)
        if language:
            path = path[len(language) + 1 :]
        return path.startswith(CACHED_PREFIXES)

    @staticmethod
    def _public(request, response, etag: str):
        """The same bytes for every visitor: a CDN or browser may keep them, by URL alone."""
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        kept = [v for v in vary if v.lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        elif "Vary" in response:
            del response["Vary"]
        return get_conditional_response(request, etag=etag, response=response)

    @staticmethod
    def _clear_browser_cache_on_sign_in(request, response) -> None:
        """A browser may keep an anonymous page five minutes: one who has just signed in would
        see it (no teacher notes, no progress) until then. Signing in starts a session, so the
        response that first sets the session cookie empties the browser's cache of this site."""
        name = settings.SESSION_COOKIE_NAME
        cookie = response.cookies.get(name)
        if name not in request.COOKIES and cookie is not None and cookie.value:
            response["Clear-Site-Data"] = '"cache"'


# The anonymous pages most asked for, in each process: a hit reads only the content version
# from the shared cache, not the page's bytes.
_anonymous_pages = VersionedMemo(size=300)


def _shared_page(key: str, version: int):
    """The shared cache's copy of an anonymous page, if it was rendered in `version`."""
    hit = cache.get(key)
    return hit if hit is not None and hit[0] == version else None


class PageRouteMiddleware:
    """Routes Wagtail's page URLs through lessons.routes before Wagtail's serve view runs (it
    finds the route already on the request), in the language the URL has activated; a GET
    reads the content version at most once (lessons.cache.version_pinned)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with version_pinned():  # read once, if the request reads it at all
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            route_for_request(request, view_kwargs.get("path", view_args[0] if view_args else ""))
        return None
