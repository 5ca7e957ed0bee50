"""Every classroom page × method × persona: hidden → 404, forbidden → 403, anonymous → sign-in.

Personas: anonymous, a pupil in the class, a pupil of another class, the class's teacher,
another teacher, an editor. Each row names who may use the route and what success looks like.
"""

from __future__ import annotations

import pytest

from reelearn.classroom.models import Classroom, ClassTeacher

PERSONAS = ["anonymous", "pupil", "other_pupil", "teacher", "other_teacher", "editor"]

# kind → expected status per persona ("ok" = the row's success status)
EXPECTED = {
    "manage": {
        "anonymous": 302,
        "pupil": 403,
        "other_pupil": 404,
        "teacher": "ok",
        "other_teacher": 404,
        "editor": 404,
    },
    "teacher_role": {
        "anonymous": 302,
        "pupil": 403,
        "other_pupil": 403,
        "teacher": "ok",
        "other_teacher": "ok",
        "editor": 403,
    },
    "own_link": {
        "anonymous": 302,
        "pupil": "ok",
        "other_pupil": 404,
        "teacher": 403,
        "other_teacher": 403,
        "editor": 403,
    },
    "any_pupil": {
        "anonymous": 302,
        "pupil": "ok",
        "other_pupil": "ok",
        "teacher": 403,
        "other_teacher": 403,
        "editor": 403,
    },
    "join": {
        "anonymous": "ok",
        "pupil": "ok",
        "other_pupil": "ok",
        "teacher": 403,
        "other_teacher": 403,
        "editor": 403,
    },
}

C = "/classes/{c}/"
ROUTES = [
    # (method, url, data, kind, success)
    ("get", "/classes/", None, "teacher_role", 200),
    ("get", "/classes/new/", None, "teacher_role", 200),
    ("post", "/classes/new/", {"name": "New class", "default_tier": "t2"}, "teacher_role", 302),
    ("get", C, None, "manage", 200),
    ("get", C + "edit/", None, "manage", 200),
    ("post", C + "edit/", {"name": "Renamed", "default_tier": "t1"}, "manage", 302),
    ("post", C + "archive/", {}, "manage", 302),
    ("post", C + "join-code/", {}, "manage", 302),
    ("get", C + "teachers/", None, "manage", 200),
    ("post", C + "teachers/", {"teacher": "nobody"}, "manage", 400),
    ("get", C + "export/", None, "manage", 200),
    ("get", C + "erase/", None, "manage", 200),
    ("post", C + "erase/", {"confirm": "7R Science"}, "manage", 302),
    ("get", C + "pupils/add/", None, "manage", 200),
    ("post", C + "pupils/add/", {"names": "Zara Q."}, "manage", 201),
    ("get", C + "pupils/{p}/", None, "manage", 200),
    ("post", C + "pupils/{p}/reset-password/", {}, "manage", 302),
    ("post", C + "pupils/{p}/approve/", {}, "manage", 302),
    ("get", C + "pupils/{p}/erase/", None, "manage", 200),
    ("post", C + "pupils/{p}/erase/", {"confirm": "Amara K."}, "manage", 302),
    ("get", C + "cards/", None, "manage", 200),
    ("get", C + "groups/", None, "manage", 200),
    ("post", C + "groups/", {"name": "Table 2"}, "manage", 302),
    ("get", C + "groups/{g}/", None, "manage", 200),
    ("post", C + "groups/{g}/", {"name": "Table 9"}, "manage", 302),
    ("get", C + "assignments/new/", None, "manage", 200),
    ("post", C + "assignments/new/", {"page": "{tp}", "audience": "class"}, "manage", 302),
    ("get", C + "assignments/{a}/", None, "manage", 200),
    ("get", C + "assignments/{d}/", None, "manage", 200),
    ("post", C + "assignments/{d}/assign/", {}, "manage", 302),
    ("get", C + "assignments/{a}/edit/", None, "manage", 200),
    ("post", C + "assignments/{d}/edit/", {"action": "delete"}, "manage", 302),
    ("get", C + "assignments/{a}/pupils/{p}/", None, "manage", 200),
    (
        "post",
        C + "assignments/{a}/pupils/{p}/",
        {"extra_time_minutes": 5, "extra_attempts": 1},
        "manage",
        302,
    ),
    ("get", "/my-work/", None, "any_pupil", 200),
    ("get", "/my-work/{l}/", None, "own_link", 200),
    ("post", "/my-work/{l}/turn-in/", {"confirm": "yes"}, "own_link", 302),
    ("post", "/my-work/lessons/{lesson}/done/", {}, "any_pupil", 302),
    ("get", "/join/", None, "join", 200),
]


def _fill(text, world):
    return text.format(
        c=world["classroom"].pk,
        p=world["pupil"].pk,
        g=world["group"].pk,
        a=world["assigned"].pk,
        d=world["draft"].pk,
        l=world["link"].pk,
        lesson=world["lesson"].pk,
        tp=world["curriculum"]["tier_pages"]["t1"].pk,
    )


@pytest.mark.parametrize(
    ("method", "url", "data", "kind", "success"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_route_permissions(client, request, world, method, url, data, kind, success):
    """All six personas on one route; refused requests change nothing, so the one persona
    allowed to change things (the teacher, or the pupil) goes last."""
    url = _fill(url, world)
    payload = {k: _fill(str(v), world) for k, v in (data or {}).items()}
    order = sorted(PERSONAS, key=lambda p: EXPECTED[kind][p] == "ok")
    wrong = []
    for persona in order:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.post(url, payload) if method == "post" else client.get(url)
        expected = EXPECTED[kind][persona]
        expected = success if expected == "ok" else expected
        if response.status_code != expected:
            wrong.append(f"{persona}: {response.status_code} (expected {expected})")
        elif expected == 302 and persona == "anonymous":
            assert response["Location"].startswith("/accounts/sign-in/")
    assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)


def test_co_teacher_manages_but_cannot_use_owner_actions(client, world, other_teacher):
    classroom = world["classroom"]
    ClassTeacher.objects.create(
        classroom=classroom, teacher=other_teacher, role=ClassTeacher.Role.CO_TEACHER
    )
    client.force_login(other_teacher)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200
    assert (
        client.post(f"/classes/{classroom.pk}/pupils/add/", {"names": "New P."}).status_code == 201
    )
    assert client.get(f"/classes/{classroom.pk}/teachers/").status_code == 403
    assert (
        client.post(f"/classes/{classroom.pk}/erase/", {"confirm": classroom.name}).status_code
        == 403
    )
    assert Classroom.objects.filter(pk=classroom.pk).exists()


def test_nothing_of_another_class_can_be_reached_through_my_class(client, world, teacher):
    """Ids of another class's pupil, group or assignment under my class's URL are 404."""
    other = world["other_classroom"]
    other_pupil = other.memberships.get().pupil
    other_group = other.groups.create(name="Theirs")
    client.force_login(teacher)
    c = world["classroom"].pk
    for url in (
        f"/classes/{c}/pupils/{other_pupil.pk}/",
        f"/classes/{c}/groups/{other_group.pk}/",
        f"/classes/{c}/assignments/{world['other_assignment'].pk}/",
        f"/classes/{c}/assignments/{world['assigned'].pk}/pupils/{other_pupil.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/classes/{c}/pupils/{other_pupil.pk}/reset-password/").status_code == 404
    assert (
        client.post(
            f"/classes/{c}/pupils/{other_pupil.pk}/erase/", {"confirm": other_pupil.display_name}
        ).status_code
        == 404
    )
    other_pupil.refresh_from_db()
