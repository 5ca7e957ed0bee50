"""Classroom API v1: the same workflows as the pages, one error shape, pinned query counts."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from rest_framework.test import APIClient

from reelearn.classroom.models import Assignment, AssignmentPupil, Classroom, Membership
from tests.classroom import fixtures
from tests.classroom.factories import ClassroomFactory, add_pupils, make_assignment, make_group
from tests.factories import make_curriculum

# The classroom tests' fixtures, shared here.
_fresh_cache = fixtures._fresh_cache
classroom = fixtures.classroom
other_classroom = fixtures.other_classroom

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_teacher_builds_a_class_through_the_api(teacher, curriculum):
    client = api(teacher)
    made = client.post("/api/v1/classes/", {"name": "7R", "default_tier": "t1"}, format="json")
    assert made.status_code == 201
    class_id = made.json()["id"]
    assert len(made.json()["join_code"]) >= 8 and made.json()["role"] == "owner"
    pupils = client.post(
        f"/api/v1/classes/{class_id}/pupils/",
        {"names": ["Ben T.", "Cy D.", "Di E."]},
        format="json",
    )
    assert pupils.status_code == 201
    first = pupils.json()[0]
    assert set(first) == {"id", "display_name", "username", "password"}
    assert authenticate(username=first["username"], password=first["password"])
    group = client.post(
        f"/api/v1/classes/{class_id}/groups/",
        {"name": "Table 1", "pupils": [first["id"]]},
        format="json",
    )
    assert group.status_code == 201 and group.json()["pupils"] == [first["id"]]
    draft = client.post(
        f"/api/v1/classes/{class_id}/assignments/",
        {
            "page": curriculum["module"].pk,
            "tier": "t1",
            "audience": "groups",
            "groups": [group.json()["id"]],
            "due_at": "2099-01-01T09:00:00Z",
        },
        format="json",
    )
    assert draft.status_code == 201
    body = draft.json()
    assert body["status"] == "draft" and body["page"]["id"] == curriculum["tier_pages"]["t1"].pk
    assert [g["notes"][0]["note"] for g in body["content_guidance"]] == [
        "Mentions polluted rivers.",
        "Mentions polluted rivers.",
    ]
    assigned = client.post(f"/api/v1/assignments/{body['id']}/assign/")
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    assert "content_guidance" not in assigned.json()
    statuses = client.get(f"/api/v1/assignments/{body['id']}/pupils/").json()
    assert [(s["pupil"], s["status"]["code"]) for s in statuses] == [(first["id"], "not_started")]
    grid = client.get(f"/api/v1/classes/{class_id}/progress/").json()
    assert len(grid["pupils"]) == 3 and len(grid["assignments"]) == 1
    reset = client.post(f"/api/v1/classes/{class_id}/pupils/{first['id']}/password/")
    assert reset.json()["password"] != first["password"]
    assert not authenticate(username=first["username"], password=first["password"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"names": []}, "names"),
        ({"names": ["Ben T.", ""]}, "names"),
        ({"names": ["Ben T.", "ben t."]}, "names"),
        ({"names": ["x@y.example"]}, "names"),
        ({"names": [f"P{n} Q." for n in range(61)]}, "names"),
        ({}, "names"),
    ],
)
def test_bad_bulk_adds_are_400s_naming_the_field_and_add_no_one(teacher, classroom, payload, field):
    response = api(teacher).post(f"/api/v1/classes/{classroom.pk}/pupils/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
    assert classroom.memberships.count() == 1


def test_assigning_an_unpublished_page_is_a_400(teacher, classroom, curriculum):
    curriculum["tier_pages"]["t1"].unpublish()
    response = api(teacher).post(
        f"/api/v1/classes/{classroom.pk}/assignments/",
        {"page": curriculum["tier_pages"]["t1"].pk},
        format="json",
    )
    assert response.status_code == 400 and "page" in response.json()["fields"]
    assert not Assignment.objects.exists()


def test_joining_through_the_api_is_throttled(classroom):
    client = api()
    ok = client.post(
        "/api/v1/join/", {"code": classroom.join_code, "name": "Noor A."}, format="json"
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == "pending" and ok.json()["class"] == "7R Science"
    assert Membership.objects.filter(pupil__username=ok.json()["username"]).exists()
    codes = [
        client.post(
            "/api/v1/join/", {"code": "ACDEFGHJ", "name": "X Y."}, format="json"
        ).status_code
        for _ in range(40)
    ]
    assert codes.count(400) <= 10 and codes[-1] == 429
    locked = client.post(
        "/api/v1/join/", {"code": classroom.join_code, "name": "Z Z."}, format="json"
    )
    assert locked.status_code == 429 and locked.json()["code"] in {"locked", "throttled"}


def test_a_pupil_works_through_their_assignments(pupil, classroom, curriculum):
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    link = AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)
    client = api(pupil)
    mine = client.get("/api/v1/my/assignments/").json()
    assert [a["id"] for a in mine] == [link.pk]
    assert [lesson["completed"] for lesson in mine[0]["lessons"]] == [False, False]
    lesson_id = mine[0]["lessons"][0]["id"]
    assert client.post(f"/api/v1/my/lessons/{lesson_id}/done/").status_code == 204
    started = client.post(f"/api/v1/my/assignments/{link.pk}/start/").json()
    assert started["status"]["code"] == "in_progress"
    assert [lesson["completed"] for lesson in started["lessons"]] == [True, False]
    # One of two lessons read: turning in asks first, saying what is left.
    asked = client.post(f"/api/v1/my/assignments/{link.pk}/turn-in/")
    assert asked.status_code == 409 and asked.json()["code"] == "unfinished"
    assert asked.json()["left"] == {
        "lessons_done": 1,
        "lessons_total": 2,
        "quizzes_done": 0,
        "quizzes_total": 0,
    }
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.IN_PROGRESS
    url = f"/api/v1/my/assignments/{link.pk}/turn-in/"
    turned = client.post(url, {"confirm": True}, format="json").json()
    assert turned["status"]["code"] == "turned_in"
    link.refresh_from_db()
    assert link.turned_in_work["lessons_done"] == 1  # the teacher sees what was done
    again = client.post(url, {"confirm": True}, format="json")  # a double tap counts once
    assert again.status_code == 200 and again.json()["status"]["code"] == "turned_in"


def test_a_teacher_changes_settings_archives_and_extends(teacher, classroom, pupil, curriculum):
    client = api(teacher)
    changed = client.patch(f"/api/v1/classes/{classroom.pk}/", {"name": "8R"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "8R"
    bad = client.patch(f"/api/v1/classes/{classroom.pk}/", {"name": ""}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()["fields"]
    off = client.post(
        f"/api/v1/classes/{classroom.pk}/join-code/", {"enabled": False}, format="json"
    )
    assert off.json()["join_enabled"] is False
    archived = client.post(f"/api/v1/classes/{classroom.pk}/archive/", {}, format="json")
    assert archived.json()["archived"] is True
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    extended = client.patch(
        f"/api/v1/assignments/{assignment.pk}/pupils/{pupil.pk}/",
        {"due_at_override": "2099-02-01T09:00:00Z", "extra_attempts": 3},
        format="json",
    )
    assert extended.status_code == 200
    assert extended.json()["extra_attempts"] == 3 and extended.json()["due_at"].startswith("2099")
    bad = client.patch(
        f"/api/v1/assignments/{assignment.pk}/pupils/{pupil.pk}/",
        {"extra_attempts": 99},
        format="json",
    )
    assert bad.status_code == 400 and "extra_attempts" in bad.json()["fields"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("due_at", "1800-03-01T09:00:00Z"),
        ("open_at", "1999-12-31T09:00:00Z"),
        ("due_at", "9999-12-31T09:00:00Z"),
    ],
)
def test_dates_outside_any_school_year_are_400s(teacher, classroom, curriculum, field, value):
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    before = (assignment.open_at, assignment.due_at)
    response = api(teacher).patch(
        f"/api/v1/assignments/{assignment.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400
    assert "between the years" in str(response.json()["fields"][field])
    assignment.refresh_from_db()
    assert (assignment.open_at, assignment.due_at) == before


def test_unknown_api_paths_are_json_404s_for_every_method(teacher):
    client = api(teacher)
    client.enforce_csrf_checks = True
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing/")
        assert response.status_code == 404, method
        assert response.json()["code"] == "not_found"
    assert api(teacher).get("/api/v1/packs/abc/download/").status_code == 404
    bad = api(teacher).get("/api/v1/packs/?page_id=%C2%B2")
    assert bad.status_code == 400 and "page_id" in bad.json()["fields"]


def test_list_endpoints_run_a_fixed_number_of_queries(teacher, django_assert_num_queries):
    classes = [ClassroomFactory(teacher=teacher) for _ in range(3)]
    for c in classes:
        pupils = add_pupils(c, 3)
        for n in range(3):
            make_group(c, f"G{n}", pupils)
    tree = make_curriculum(code="qa", tiers=("t1",), lessons_per_tier=1)
    for _ in range(3):
        make_assignment(classes[0], tree["tier_pages"]["t1"])
    client = api(teacher)
    # classes with counts, count for pagination
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/classes/").json()["results"]) == 3
    # class with my role, count, memberships with pupils
    with django_assert_num_queries(3):
        assert len(client.get(f"/api/v1/classes/{classes[0].pk}/pupils/").json()["results"]) == 3
    # class with my role, groups, their pupils
    with django_assert_num_queries(3):
        assert len(client.get(f"/api/v1/classes/{classes[0].pk}/groups/").json()) == 3
    # class with my role, count, assignments with pages, their groups, their chosen pupils,
    # and Wagtail's site root paths for page URLs (two; cached between requests in production)
    with django_assert_num_queries(7):
        response = client.get(f"/api/v1/classes/{classes[0].pk}/assignments/")
        assert len(response.json()["results"]) == 3
    # class with my role; the dashboard's memberships, teachers, assignments, links, groups,
    # their pupils, recent turn-ins, recent progress
    with django_assert_num_queries(9):
        grid = client.get(f"/api/v1/classes/{classes[0].pk}/progress/").json()
    assert len(grid["pupils"]) == 3 and len(grid["assignments"]) == 3


def test_my_assignments_run_a_fixed_number_of_queries(
    pupil, classroom, django_assert_max_num_queries
):
    for n in range(3):
        tree = make_curriculum(code=f"my{n}", tiers=("t1",), lessons_per_tier=3)
        make_assignment(classroom, tree["tier_pages"]["t1"])
    client = api(pupil)
    client.get("/api/v1/my/assignments/")  # warm Wagtail's site root paths
    # links, restrictions, lessons, progress, pending memberships, plus the quizzes app's
    # own fixed reads when it is installed (pages, quizzes, totals, attempts)
    with django_assert_max_num_queries(10):
        mine = client.get("/api/v1/my/assignments/").json()
    assert len(mine) == 3 and all(len(a["lessons"]) == 3 for a in mine)


def test_erase_and_export_through_the_api(teacher, classroom, pupil):
    client = api(teacher)
    export = client.get(f"/api/v1/classes/{classroom.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    assert client.delete(f"/api/v1/classes/{classroom.pk}/pupils/{pupil.pk}/").status_code == 204
    assert not type(pupil).objects.filter(pk=pupil.pk).exists()
    assert client.delete(f"/api/v1/classes/{classroom.pk}/erase/").status_code == 204
    assert not Classroom.objects.filter(pk=classroom.pk).exists()
