from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@require_GET
@never_cache
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    ok = all(checks.values())
    body = {
        "status": "ok" if ok else "unavailable",
        **{k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    """The API's one error shape (reelearn.api.exceptions) for errors raised outside DRF."""
    return JsonResponse({"status": status, "code": code, "detail": detail}, status=status)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", "Not found.")
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    """400 for a request Django refuses before any view (too many fields, a bad host)."""
    if request.path.startswith("/api/"):
        return _api_error(400, "bad_request", "The request could not be read.")
    return render(request, "400.html", status=400)


def is_database_unavailable(exception: BaseException | None) -> bool:
    """A lost or refused database connection (not SQLite's "database is locked")."""
    return isinstance(exception, OperationalError | InterfaceError) and not (
        isinstance(exception, DatabaseError) and "locked" in str(exception)
    )


def service_unavailable(request) -> HttpResponse:
    """503 for a database that went away: JSON under /api/, else the static page.

    Rendered without the request's context processors, which read the session and the user
    from the very database that is gone.
    """
    if request.path.startswith("/api/"):
        response = _api_error(
            503,
            "service_unavailable",
            "The database is unavailable. Nothing was saved; try again shortly.",
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """handler500. Also reached when middleware (session saving, redirects) or a view outside
    DatabaseUnavailableMiddleware's reach fails because the database went away: then a 503.
    Static templates only: a failing database must not take the error page down with it."""
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if request.path.startswith("/api/"):
        return _api_error(500, "server_error", "Something went wrong on our side.")
    return HttpResponse(render_to_string("500.html"), status=500)
