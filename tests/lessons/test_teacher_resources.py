"""What teachers need to fit it in (issue 21 §4), from the curriculum source to live pages: a
module's subject primer and awkward questions (teachers only), a dated situation note linked
from the lessons that depend on it, and routes through a tier that a teacher can follow."""

from __future__ import annotations

import shutil

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.models import LessonPage, ModulePage, RoutePage
from reelearn.classroom.models import Assignment
from reelearn.curriculum.loader import CURRICULUM_DIR
from tests.classroom.factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def write(path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture
def source(tmp_path):
    """Module 1 at ages 7–11 only, plus a module guide, a situation note and two routes."""
    root = tmp_path / "curriculum"
    root.mkdir()
    for name in ("sources.yaml", "glossary.yaml", "images.yaml"):
        shutil.copy(CURRICULUM_DIR / name, root / name)
    shutil.copytree(CURRICULUM_DIR / "images", root / "images")
    (root / "m1").mkdir()
    module = yaml.safe_load((CURRICULUM_DIR / "m1" / "module.yaml").read_text("utf-8"))
    module["guide"] = {
        "primer": "Rare earths are seventeen metals. PRIMER-TEXT",
        "awkward_questions": "**Is my phone bad?** Not on its own. AWKWARD-TEXT",
    }
    write(root / "m1" / "module.yaml", module)
    spec = yaml.safe_load((CURRICULUM_DIR / "m1" / "t1.yaml").read_text("utf-8"))
    spec["lessons"][0]["situation"] = "kachin-now"
    write(root / "m1" / "t1.yaml", spec)
    write(
        root / "situation.yaml",
        [
            {
                "slug": "kachin-now",
                "title": "Kachin State and the border: the situation now",
                "reviewed": "2026-12-06",
                "newest_source": "The newest source at hand (2025)",
                "body": "Who controls the mining towns changes often. SITUATION-BODY",
                "not_checked": "Which crossings are open this month.",
            }
        ],
    )
    slugs = [f"m1/t1/{lesson['slug']}" for lesson in spec["lessons"]]
    write(
        root / "routes.yaml",
        [
            {
                "slug": "route-t1-one-lesson",
                "title": "Ages 7–11 in one lesson",
                "tier": "t1",
                "length": "one",
                "summary": "The single lesson to teach if you have one hour.",
                "lessons": slugs[:1],
            },
            {
                "slug": "route-t1-unit",
                "title": "Ages 7–11, the full unit",
                "tier": "t1",
                "length": "unit",
                "summary": "Every lesson, in teaching order.",
                "lessons": slugs,
            },
        ],
    )
    return root


def test_primer_situation_note_and_routes_go_live(client, source, teacher, pupil):
    call_command("load_curriculum", path=source, verbosity=0)
    module = ModulePage.objects.get(code="m1")
    # The primer: teachers only, like every guide.
    guide = f"{module.url}guide/"
    assert client.get(guide).status_code == 302  # signed out: sign in first
    client.force_login(pupil)
    assert client.get(guide).status_code == 404
    client.force_login(teacher)
    html = client.get(guide).content.decode()
    assert "PRIMER-TEXT" in html and "AWKWARD-TEXT" in html
    client.logout()
    # The situation note: linked from the lesson that depends on it, dated.
    lesson = LessonPage.objects.filter(tier="t1").order_by("path").first()
    page = client.get(lesson.url).content.decode()
    assert "/situation/kachin-now/" in page and "6 December 2026" in page
    note = client.get("/situation/kachin-now/").content.decode()
    assert "SITUATION-BODY" in note and "Which crossings are open" in note
    assert lesson.title in note
    assert client.get("/situation/nothing-here/").status_code == 404
    # Routes: live pages listing their lessons in order.
    unit = RoutePage.objects.get(slug="route-t1-unit")
    assert [p.pk for p in unit.lessons()] == list(
        LessonPage.objects.filter(tier="t1").order_by("path").values_list("pk", flat=True)
    )
    html = client.get(unit.url).content.decode()
    assert all(f'href="{p.url}"' in html for p in unit.lessons())
    assert client.get(RoutePage.objects.get(slug="route-t1-one-lesson").url).status_code == 200
    # The curriculum index lists the routes.
    assert unit.url in client.get("/curriculum/").content.decode()
    # A teacher sets the route for a class: draft assignments, one per lesson, in order.
    classroom = ClassroomFactory(teacher=teacher)
    client.force_login(teacher)
    assert "?route=" in client.get(unit.url).content.decode()
    chooser = client.get(f"/classes/route/?route={unit.pk}")
    assert chooser.status_code == 200 and classroom.name in chooser.content.decode()
    made = client.post(f"/classes/{classroom.pk}/assignments/route/", {"route": unit.pk})
    assert made.status_code == 302
    drafts = list(Assignment.objects.filter(classroom=classroom).order_by("pk"))
    assert [a.page_id for a in drafts] == [p.pk for p in unit.lessons()]
    assert all(a.status == Assignment.Status.DRAFT for a in drafts)
    assert drafts[0].title.startswith(unit.title)
    # Another teacher's class, a pupil, or a made-up route: nothing.
    client.force_login(pupil)
    assert (
        client.post(f"/classes/{classroom.pk}/assignments/route/", {"route": unit.pk}).status_code
        == 404
    )
    client.force_login(teacher)
    assert client.get("/classes/route/?route=99999999").status_code == 404
    assert Assignment.objects.count() == len(drafts)
    # A second load changes nothing.
    call_command("load_curriculum", path=source, verbosity=0)
    assert RoutePage.objects.count() == 2


def test_a_route_naming_a_missing_lesson_or_the_wrong_size_is_refused(source):
    routes = yaml.safe_load((source / "routes.yaml").read_text("utf-8"))
    routes[0]["lessons"] = ["m1/t1/no-such-lesson", "m1/t2/another"]
    write(source / "routes.yaml", routes)
    with pytest.raises(CommandError) as refused:
        call_command("load_curriculum", path=source, verbosity=0)
    message = str(refused.value)
    assert "unknown lesson 'm1/t1/no-such-lesson'" in message
    assert "a 'one' route has 1 lesson(s)" in message
    assert not RoutePage.objects.exists()
