"""Every classroom endpoint × method × persona (API v1): hidden → 404, forbidden → 403.

Anonymous callers get DRF's "not authenticated" answer in the one error shape.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.classroom import fixtures

# The classroom tests' fixtures, shared here.
_fresh_cache = fixtures._fresh_cache
classroom = fixtures.classroom
other_classroom = fixtures.other_classroom
world = fixtures.world

PERSONAS = ["anonymous", "pupil", "other_pupil", "teacher", "other_teacher", "editor"]
ANON = 403  # SessionAuthentication comes first, so DRF answers 403 rather than 401

EXPECTED = {
    "manage": {
        "anonymous": ANON,
        "pupil": 403,
        "other_pupil": 404,
        "teacher": "ok",
        "other_teacher": 404,
        "editor": 404,
    },
    "view": {
        "anonymous": ANON,
        "pupil": "ok",
        "other_pupil": 404,
        "teacher": "ok",
        "other_teacher": 404,
        "editor": 404,
    },
    "signed_in": {
        "anonymous": ANON,
        "pupil": "ok",
        "other_pupil": "ok",
        "teacher": "ok",
        "other_teacher": "ok",
        "editor": "ok",
    },
    "teacher_role": {
        "anonymous": ANON,
        "pupil": 403,
        "other_pupil": 403,
        "teacher": "ok",
        "other_teacher": "ok",
        "editor": 403,
    },
    "own_link": {
        "anonymous": ANON,
        "pupil": "ok",
        "other_pupil": 404,
        "teacher": 403,
        "other_teacher": 403,
        "editor": 403,
    },
    "any_pupil": {
        "anonymous": ANON,
        "pupil": "ok",
        "other_pupil": "ok",
        "teacher": 403,
        "other_teacher": 403,
        "editor": 403,
    },
    "join": {
        "anonymous": 201,
        "pupil": 400,
        "other_pupil": 201,
        "teacher": 403,
        "other_teacher": 403,
        "editor": 403,
    },
}

V = "/api/v1/"
C = V + "classes/{c}/"
A = V + "assignments/{a}/"
D = V + "assignments/{d}/"
ROUTES = [
    ("get", V + "classes/", None, "signed_in", 200),
    ("post", V + "classes/", {"name": "New", "default_tier": "t2"}, "teacher_role", 201),
    ("get", C, None, "view", 200),
    ("patch", C, {"name": "Renamed"}, "manage", 200),
    ("post", C + "archive/", {"archived": True}, "manage", 200),
    ("post", C + "join-code/", {"enabled": True}, "manage", 200),
    ("get", C + "teachers/", None, "manage", 200),
    ("post", C + "teachers/", {"teacher": "nobody"}, "manage", 400),
    ("get", C + "export/", None, "manage", 200),
    ("delete", C + "erase/", None, "manage", 204),
    ("get", C + "pupils/", None, "manage", 200),
    ("post", C + "pupils/", {"names": ["Zara Q."]}, "manage", 201),
    ("get", C + "pupils/{p}/", None, "manage", 200),
    ("delete", C + "pupils/{p}/", None, "manage", 204),
    ("post", C + "pupils/{p}/password/", None, "manage", 200),
    ("post", C + "pupils/{p}/approve/", None, "manage", 200),
    ("get", C + "groups/", None, "manage", 200),
    ("post", C + "groups/", {"name": "Table 2"}, "manage", 201),
    ("get", C + "groups/{g}/", None, "manage", 200),
    ("patch", C + "groups/{g}/", {"name": "Table 9"}, "manage", 200),
    ("delete", C + "groups/{g}/", None, "manage", 204),
    ("get", C + "assignments/", None, "manage", 200),
    ("post", C + "assignments/", {"page": "{tp}"}, "manage", 201),
    ("get", C + "progress/", None, "manage", 200),
    ("get", A, None, "manage", 200),
    ("patch", A, {"instructions": "Read carefully."}, "manage", 200),
    ("delete", D, None, "manage", 204),
    ("post", D + "assign/", None, "manage", 200),
    ("get", A + "pupils/", None, "manage", 200),
    ("patch", A + "pupils/{p}/", {"extra_attempts": 2}, "manage", 200),
    ("post", A + "pupils/{p}/return/", None, "manage", 409),
    ("post", V + "join/", {"code": "{code}", "name": "New P."}, "join", None),
    ("get", V + "my/assignments/", None, "any_pupil", 200),
    ("get", V + "my/assignments/{l}/", None, "own_link", 200),
    ("post", V + "my/assignments/{l}/start/", None, "own_link", 200),
    ("post", V + "my/assignments/{l}/turn-in/", {"confirm": True}, "own_link", 200),
    ("post", V + "my/lessons/{lesson}/done/", None, "any_pupil", 204),
]


def _fill(value, world):
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if not isinstance(value, str):
        return value
    filled = value.format(
        c=world["classroom"].pk,
        p=world["pupil"].pk,
        g=world["group"].pk,
        a=world["assigned"].pk,
        d=world["draft"].pk,
        l=world["link"].pk,
        lesson=world["lesson"].pk,
        tp=world["curriculum"]["tier_pages"]["t1"].pk,
        code=world["classroom"].join_code,
    )
    return int(filled) if filled.isdigit() and value.startswith("{") else filled


@pytest.mark.parametrize(
    ("method", "url", "data", "kind", "success"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_endpoint_permissions(request, world, method, url, data, kind, success):
    url = _fill(url, world)
    payload = {k: _fill(v, world) for k, v in (data or {}).items()}
    order = sorted(PERSONAS, key=lambda p: EXPECTED[kind][p] == "ok")
    wrong = []
    for persona in order:
        client = APIClient()
        if persona != "anonymous":
            client.force_authenticate(request.getfixturevalue(persona))
        response = getattr(client, method)(url, payload or None, format="json")
        expected = EXPECTED[kind][persona]
        expected = success if expected == "ok" else expected
        if response.status_code != expected:
            wrong.append(f"{persona}: {response.status_code} (expected {expected})")
        elif response.status_code >= 400:
            body = response.json()
            assert set(body) >= {"status", "code", "detail"}, body
    assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)


def test_a_pupil_never_sees_the_join_code_or_the_roster(world, pupil):
    client = APIClient()
    client.force_authenticate(pupil)
    body = client.get(f"/api/v1/classes/{world['classroom'].pk}/").json()
    assert body["join_code"] is None and body["pupil_count"] is None
    listed = client.get("/api/v1/classes/").json()["results"]
    assert [c["join_code"] for c in listed] == [None]
