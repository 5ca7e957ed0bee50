from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@require_GET
@never_cache
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    ok = all(checks.values())
    body = {"status": "ok" if ok else "unavailable", **{k: "ok" if v else "down"
                                                         for k, v in checks.items()}}
    return JsonResponse(body, status=200 if ok else 503)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"status": 404, "code": "not_found", "detail": "Not found."},
                            status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"status": 500, "code": "server_error",
                             "detail": "Something went wrong on our side."}, status=500)
    return render(request, "500.html", status=500)
