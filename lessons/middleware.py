"""Serve anonymous GETs of curriculum pages from the cache, keyed by the content version.

Teachers, pupils and editors (anyone with a session cookie) always get a fresh render, so
nothing role-specific can be cached or leak across users. A publish anywhere bumps the version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from .cache import content_version

CACHED_PREFIXES = ("/curriculum/", "/glossary/")
TTL = 60 * 60 * 24


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable(request):
            return self.get_response(request)
        key = f"anon-page:{content_version()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not getattr(request, "_dont_cache_page", False)
        ):
            cache.set(key, (response.content, response["Content-Type"]), TTL)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable(request) -> bool:
        return (
            request.method == "GET"
            and request.path.startswith(CACHED_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "preview" not in request.GET
        )
