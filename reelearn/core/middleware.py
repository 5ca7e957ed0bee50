from __future__ import annotations

import logging

from django.conf import settings

from .views import is_database_unavailable, page_not_found, service_unavailable

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response; the rest come from Django's SecurityMiddleware.

    Wagtail's admin and the API docs need inline scripts and styles, so they get a looser policy.
    """

    RELAXED_PREFIXES = ("/admin/", "/django-admin/", "/api/docs/", "/api/redoc/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.strict = settings.CONTENT_SECURITY_POLICY
        self.relaxed = (
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        # Wagtail renders previews through a dummy request for the page's public URL, shown in
        # an admin iframe: it needs the admin's policy (frame-ancestors 'self').
        relaxed = (
            request.path.startswith(self.RELAXED_PREFIXES)
            or getattr(request, "is_preview", False)
            or getattr(request, "is_dummy", False)
            or getattr(response, "relaxed_csp", False)
            # In debug, Django's technical 404 and 500 pages style (and script) themselves
            # inline; the strict policy left them unreadable. Never outside debug.
            or (settings.DEBUG and response.status_code in (404, 500))
        )
        response.setdefault("Content-Security-Policy", self.relaxed if relaxed else self.strict)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection becomes a clear 503, not a 500 (the transaction rolls back).

    Also the database's other refusal of a request's own making: an id with more digits than
    SQLite can bind (OverflowError) names no row, so it is a 404. Routes take `<id:…>`
    (reelearn.core.converters), which stops such ids at the resolver; this catches any
    `<int:…>` route or query parameter that still lets one through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return page_not_found(request)
        if not is_database_unavailable(exception):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        return service_unavailable(request)
