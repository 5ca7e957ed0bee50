"""Nothing teacher-only reaches a pupil or a visitor, wherever they click or type.

A world with marked secrets (world.py) is crawled as the pupil and as an anonymous visitor:
every link and GET form from the entry points, every GET endpoint in the OpenAPI schema and
every route with ids substituted (the pupil's own and everyone else's), the content API, search
for each marker, the sitemap and the packs. No body — HTML, JSON, CSV, XML, or the text of a
PDF or zip — may hold a teacher guide, an answer key before the due date, or another pupil's
name, answers or class. The same crawl as the teacher must find them (the detector works).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from .crawler import find_secrets
from .world import GUIDE_MARKERS, KEY_MARKERS, OTHER_ANSWER_MARKER

pytestmark = pytest.mark.django_db


def _report(persona: str, crawl) -> None:
    statuses: dict[int, int] = {}
    for fetched in crawl.fetched.values():
        statuses[fetched.status] = statuses.get(fetched.status, 0) + 1
    kinds = {f.content_type.split(";")[0] for f in crawl.fetched.values()}
    if os.environ.get("REELEARN_CRAWL_DUMP"):  # a listing to read when a crawl surprises you
        lines = [
            f"{f.status} {f.content_type.split(';')[0]:28} {f.url}  <- {f.via}"
            for f in crawl.fetched.values()
        ]
        Path(os.environ["REELEARN_CRAWL_DUMP"], f"crawl-{persona}.txt").write_text("\n".join(lines))
    print(
        f"\nleak crawl as {persona}: {len(crawl)} URLs, "
        f"statuses {dict(sorted(statuses.items()))}, types {sorted(kinds)}"
    )


def _served(crawl, prefix: str, status: int = 200, content_type: str = "") -> list:
    return [
        f
        for f in crawl.fetched.values()
        if f.url.startswith(prefix)
        and f.status == status
        and f.content_type.startswith(content_type)
    ]


def test_the_pupil_reaches_nothing_teacher_only_or_about_other_pupils(world, crawl_as):
    crawl, _client = crawl_as(world, world.pupil)
    _report("pupil", crawl)
    # The crawl really went where a pupil goes (else finding nothing would prove nothing).
    assert _served(crawl, f"/my-work/quizzes/attempts/{world.own_open.pk}/")
    assert _served(crawl, f"/my-work/quizzes/attempts/{world.own_submitted.pk}/result/")
    assert _served(crawl, "/my-work/", content_type="text/html")
    assert _served(crawl, "/api/v1/my/assignments/", content_type="application/json")
    assert _served(
        crawl, f"/api/v1/attempts/{world.own_submitted.pk}/", content_type="application/json"
    )
    assert _served(crawl, "/packs/", content_type="application/pdf")
    assert _served(crawl, "/api/v2/pages/", content_type="application/json")
    assert _served(crawl, "/sitemap.xml")
    lesson = world.curriculum["lessons"]["t1"][0]
    assert _served(crawl, lesson.url, content_type="text/html")
    # Other pupils' attempts exist and were tried, by id, on every route that takes one.
    for attempt in world.other_attempts:
        assert any(str(attempt.pk) in url for url in crawl.fetched)
    leaks = [
        leak for f in crawl.fetched.values() for leak in find_secrets(f, world.pupil_secrets())
    ]
    assert not leaks, "\n".join(leaks)


def test_a_visitor_reaches_nothing_teacher_only_or_personal(world, crawl_as):
    crawl, _client = crawl_as(world, None)
    _report("visitor", crawl)
    assert _served(crawl, "/curriculum/", content_type="text/html")
    assert _served(crawl, "/packs/", content_type="application/pdf")
    assert _served(crawl, "/api/v2/pages/", content_type="application/json")
    assert _served(crawl, "/search/", content_type="text/html")
    leaks = [
        leak for f in crawl.fetched.values() for leak in find_secrets(f, world.visitor_secrets())
    ]
    assert not leaks, "\n".join(leaks)


def test_the_teacher_reaches_their_class_only_and_the_detector_sees_it(world, crawl_as):
    """Control: the same crawl as the teacher finds guides (HTML), keys and pupils' names in
    pages and PDFs. And the teacher, too, reaches nothing of another teacher's class and no
    unpublished editing."""
    crawl, _client = crawl_as(world, world.teacher)
    _report("teacher", crawl)
    leaks = [
        leak for f in crawl.fetched.values() for leak in find_secrets(f, world.teacher_secrets())
    ]
    assert not leaks, "\n".join(leaks)
    found = {
        marker
        for f in crawl.fetched.values()
        for marker in [
            *GUIDE_MARKERS,
            *KEY_MARKERS,
            OTHER_ANSWER_MARKER,
            world.classmates[0].display_name,
        ]
        if find_secrets(f, {marker: "control"})
    }
    assert set(GUIDE_MARKERS) <= found
    assert {
        "ANSWER-KEY-MARKER-EXPLANATION",
        OTHER_ANSWER_MARKER,
        world.classmates[0].display_name,
    } <= found
    teacher_pdf = [
        f
        for f in crawl.fetched.values()
        if f.content_type.startswith("application/pdf")
        and find_secrets(f, {"ANSWER-KEY-MARKER-ACCEPTED": "key in a PDF"})
    ]
    assert teacher_pdf, "the teacher edition's answer key was not read from its PDF"


def test_a_practice_attempt_does_not_reveal_an_assigned_quiz_key_before_it_is_due(bare_world):
    world = bare_world
    client = APIClient()
    client.force_login(world.pupil)
    # The pupil turns in the assigned attempt they had open (answers stay hidden: due in 7 days)…
    assigned = client.post(f"/api/v1/attempts/{world.own_open.pk}/submit/", format="json")
    assert assigned.status_code == 200 and assigned.json()["answers_visible"] is False
    # …then starts the same quiz without naming the assignment, submits it blank, and reads it.
    started = client.post(f"/api/v1/quizzes/{world.quiz.pk}/attempts/", {}, format="json")
    assert started.status_code in (201, 400, 403, 409)
    # Refused or not, what the pupil can read afterwards is checked: the refusal itself and
    # the results of the assigned attempt, plus the new attempt's if one was started.
    seen = [started.content.decode()]
    attempt_ids = [world.own_open.pk]
    if started.status_code == 201:
        attempt_ids.append(started.json()["id"])
        submitted = client.post(f"/api/v1/attempts/{attempt_ids[-1]}/submit/", format="json")
        assert submitted.status_code == 200, submitted.content
    for attempt_id in attempt_ids:
        api_result = client.get(f"/api/v1/attempts/{attempt_id}/result/")
        page_result = client.get(f"/my-work/quizzes/attempts/{attempt_id}/result/")
        assert api_result.status_code == 200 and page_result.status_code == 200, attempt_id
        seen += [api_result.content.decode(), page_result.content.decode()]
    leaked = [m for m in KEY_MARKERS for body in seen if m in body]
    assert not leaked, f"answer key before the due date: {sorted(set(leaked))}"
