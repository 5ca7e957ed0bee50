"""Printable sheets (issue 21 §2): written in the curriculum source, loaded with the lesson,
printed in the pack's edition that should have them, and linked from the activity.

The pupil version (cards, a table with blanks) is for everyone; the answers are teacher
material: the teacher guide and the teacher edition only.
"""

from __future__ import annotations

import shutil

import pytest
import yaml
from django.core.management import call_command

from lessons.models import LessonPage, Printable
from reelearn.curriculum.loader import CURRICULUM_DIR
from reelearn.packs.content import load_page_content
from reelearn.packs.models import Pack
from reelearn.packs.rendering import render_html

pytestmark = pytest.mark.django_db

SHEET = {
    "key": "test-magnet-cards",
    "title": "Magnet sorting cards",
    "kind": "cards",
    "intro": "Cut out the cards. Sort them into two piles.",
    "cards": ["A steel paper clip", "A brass key", "An aluminium can"],
    "answers": "Only the steel paper clip is pulled by a magnet. SECRET-SORT-ORDER",
}


@pytest.fixture
def small_curriculum(tmp_path):
    """Module 1 at ages 7–11 only, with a card set on its first lesson's first activity."""
    root = tmp_path / "curriculum"
    root.mkdir()
    for name in ("sources.yaml", "glossary.yaml", "images.yaml"):
        shutil.copy(CURRICULUM_DIR / name, root / name)
    shutil.copytree(CURRICULUM_DIR / "images", root / "images")
    (root / "m1").mkdir()
    shutil.copy(CURRICULUM_DIR / "m1" / "module.yaml", root / "m1" / "module.yaml")
    spec = yaml.safe_load((CURRICULUM_DIR / "m1" / "t1.yaml").read_text(encoding="utf-8"))
    lesson = spec["lessons"][0]
    activity = next(b["activity"] for b in lesson["body"] if "activity" in b)
    activity["materials"] = [*(activity.get("materials") or []), {"sheet": SHEET["key"]}]
    lesson["sheets"] = [*(lesson.get("sheets") or []), SHEET]
    (root / "m1" / "t1.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    call_command("load_curriculum", path=root, verbosity=0)
    return LessonPage.objects.get(slug=lesson["slug"], tier="t1")


def test_a_sheet_reaches_its_activity_its_page_the_guide_and_the_right_pack_edition(
    client, small_curriculum, teacher, pupil
):
    """One load (it is the slow part) and every place the sheet shows, or must not."""
    lesson = small_curriculum
    page = client.get(lesson.url).content.decode()
    assert f'href="{lesson.url}sheets/{SHEET["key"]}/"' in page
    sheet = client.get(f"{lesson.url}sheets/{SHEET['key']}/")
    assert sheet.status_code == 200
    html = sheet.content.decode()
    assert "A brass key" in html and "Cut out the cards" in html
    assert "SECRET-SORT-ORDER" not in html
    assert client.get(f"{lesson.url}sheets/no-such-sheet/").status_code == 404
    # The cards print in an order fixed by their words, not the order the source lists them
    # (which is often the answer to a sorting activity).
    printable = Printable.objects.get(key=SHEET["key"])
    shown = [c for c in printable.cards_to_print() if c in html]
    assert [html.index(c) for c in shown] == sorted(html.index(c) for c in shown)
    printable.cards = list(reversed(printable.cards))
    assert printable.cards_to_print() == shown
    # The answers: the teacher guide (teachers only) and the teacher edition.
    guide = f"{lesson.url}guide/"
    client.force_login(pupil)
    assert client.get(guide).status_code == 404
    assert (
        "SECRET-SORT-ORDER"
        not in client.get(f"{lesson.url}sheets/{SHEET['key']}/").content.decode()
    )
    client.force_login(teacher)
    assert "SECRET-SORT-ORDER" in client.get(guide).content.decode()
    tier_page = lesson.get_parent().specific
    student = render_html(
        load_page_content(page=tier_page, edition=Pack.Edition.STUDENT, paper="a4")
    )
    teacher_edition = render_html(
        load_page_content(page=tier_page, edition=Pack.Edition.TEACHER, paper="a4")
    )
    assert "Magnet sorting cards" in student and "An aluminium can" in student
    assert "SECRET-SORT-ORDER" not in student
    assert "SECRET-SORT-ORDER" in teacher_edition


def test_a_second_load_keeps_the_sheet_and_removing_it_from_the_source_removes_it(
    small_curriculum, tmp_path
):
    before = Printable.objects.count()
    assert Printable.objects.filter(key=SHEET["key"]).exists()
    root = tmp_path / "curriculum"
    call_command("load_curriculum", path=root, verbosity=0)
    assert Printable.objects.count() == before
    spec = yaml.safe_load((root / "m1" / "t1.yaml").read_text(encoding="utf-8"))
    lesson = spec["lessons"][0]
    lesson["sheets"] = [s for s in lesson["sheets"] if s["key"] != SHEET["key"]]
    for block in lesson["body"]:
        if "activity" in block:
            block["activity"]["materials"] = [
                m for m in block["activity"].get("materials") or [] if m != {"sheet": SHEET["key"]}
            ]
    (root / "m1" / "t1.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    call_command("load_curriculum", path=root, verbosity=0)
    assert Printable.objects.count() == before - 1
    assert not Printable.objects.filter(key=SHEET["key"]).exists()
