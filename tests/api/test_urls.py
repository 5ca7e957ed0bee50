"""Every API v1 route is reached by its own paths, whatever order the URL modules are listed in."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve


def api_v1_routes():
    """(name, a path made from its pattern) for every named route under /api/v1/."""

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and entry.name:
                yield entry.name, prefix + route

    (api,) = [e for e in get_resolver().url_patterns if str(e.pattern) == "api/"]
    for name, route in walk(api.url_patterns, "/api/"):
        if not route.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:int|id):\w+>", "7", route)  # Django path converters
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "7", path).lstrip("^").rstrip("$")  # routers
        path = path.replace("/^", "/").replace("\\.", ".")
        if "(" in path or "<" in path:  # a format suffix or converter this cannot fill
            continue
        yield name, path


ROUTES = list(api_v1_routes())


def test_the_routes_are_found():
    names = {name for name, _path in ROUTES}
    assert {
        "answer-save",
        "attempt-start",
        "attempt-submit",
        "classes",
        "class",
        "pupils",
        "my-assignments",
        "pack-list",
    } <= names


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[p for _n, p in ROUTES])
def test_each_route_resolves_to_itself(name, path):
    assert resolve(path).url_name == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), [("get", "/bench/ping"), ("put", "/api/v1/bench/floor/")]
)
def test_the_bench_views_exist_only_for_the_benches(client, method, path):
    """They are registered only when REELEARN_BENCH=1 (bench/quiz_rush.py), never in service."""
    assert "bench-floor" not in {name for name, _path in ROUTES}
    assert getattr(client, method)(path, follow=True).status_code == 404
