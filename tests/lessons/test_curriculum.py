"""The shipped curriculum: readability, sources, glossary, quiz keys, and loading it for real."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
import textstat
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.curriculum.lint import (
    CEILING,
    T1_BANNED,
    anchor_problems,
    lint_file,
    pupil_text,
    quiz_rules,
)
from reelearn.curriculum.loader import CURRICULUM_DIR
from reelearn.curriculum.validation import check_key_positions, check_question, label_problems

MODULE_TIERS = {  # brief §3: the module map
    "m1": ["t1", "t2", "t3", "t4"],
    "m2": ["t1", "t2", "t3", "t4"],
    "m3": ["t2", "t3", "t4"],
    "m4": ["t1", "t2", "t3", "t4"],
    "m5": ["t2", "t3", "t4"],
    "m6": ["t3", "t4"],
    "m7": ["t1", "t2", "t3", "t4"],
    "m8": ["t1", "t2", "t3", "t4"],
}
FILES = sorted(CURRICULUM_DIR.glob("m*/t*.yaml"))
# The English pages the loader writes (its translations load beside them, in their locales).
ENGLISH = {"locale__language_code": "en"}


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


SOURCES = {s["key"] for s in load(CURRICULUM_DIR / "sources.yaml")}
TERMS = {t["slug"] for t in load(CURRICULUM_DIR / "glossary.yaml")}
IMAGES = {i["key"] for i in load(CURRICULUM_DIR / "images.yaml")}


def lessons():
    for path in FILES:
        data = load(path)
        for lesson in data["lessons"]:
            name = f"{path.parent.name}/{path.stem}/{lesson['slug']}"
            yield pytest.param(data["tier"], lesson, data.get("summary", ""), id=name)


def test_every_module_tier_in_the_brief_exists():
    found = {(p.parent.name, p.stem) for p in FILES}
    wanted = {(m, t) for m, tiers in MODULE_TIERS.items() for t in tiers}
    assert wanted <= found, sorted(wanted - found)
    assert len(wanted) == 28


def test_glossary_has_forty_terms_at_two_levels():
    terms = load(CURRICULUM_DIR / "glossary.yaml")
    assert len(terms) >= 40
    assert all(t["simple"].strip() and t["full"].strip() for t in terms)


@pytest.mark.parametrize("tier, lesson, summary", lessons())
def test_reading_level_fits_the_tier(tier, lesson, summary):
    grade = textstat.flesch_kincaid_grade(pupil_text(lesson, summary))
    assert grade <= CEILING[tier], f"grade {grade} above {CEILING[tier]}"


@pytest.mark.parametrize("tier, lesson, summary", lessons())
def test_every_fact_cites_a_known_source_and_every_keyword_is_in_the_glossary(
    tier, lesson, summary
):
    for slug in lesson.get("keywords", []):
        assert slug in TERMS, slug
    for block in lesson["body"]:
        ((kind, value),) = block.items()
        if kind in ("fact", "chart"):
            assert value.get("sources"), f"{kind} without a source"
            assert set(map(str, value["sources"])) <= SOURCES
        if kind == "term":
            assert value in TERMS
        if kind == "image":
            assert value["key"] in IMAGES


@pytest.mark.parametrize("tier, lesson, summary", lessons())
def test_lesson_shape_and_sensitive_content(tier, lesson, summary):
    assert 3 <= len(lesson["key_points"]) <= 5
    assert lesson.get("outcome") and lesson.get("guide")
    text = yaml.safe_dump(lesson)
    if tier == "t1":
        assert not T1_BANNED.search(text), T1_BANNED.search(text)
    conflict = re.search(r"\b(armed|militia|coup|soldier|fighting|displac)", text, re.I)
    if conflict and tier != "t1":
        kinds = {g["kind"] for g in lesson.get("content_guidance") or []}
        assert kinds & {"armed_conflict", "displacement", "other"}, "needs content guidance"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_quiz_has_eight_questions_with_a_consistent_key(path):
    questions = load(path)["quiz"]["questions"]
    assert len(questions) >= 8
    problems = [e for q in questions if (e := check_question(q))]
    assert not problems
    assert all(q.get("explanation") for q in questions)
    assert check_key_positions(questions) is None


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_second_edition_rules_hold(path):
    """No authoring label in published text; quizzes that diagnose (the key not the longest
    choice too often, feedback on every wrong choice, older pupils applying what they learnt);
    fact boxes and quiz text at the tier's reading level (lessons/curriculum/lint.py)."""
    spec = load(path)
    assert lint_file(path, spec) == []
    assert label_problems(path, spec) == []


@pytest.mark.parametrize("module", sorted(MODULE_TIERS), ids=str)
def test_modules_repeat_anchor_questions_across_tiers(module):
    tiers = [(p, load(p)) for p in FILES if p.parent.name == module]
    assert anchor_problems(CURRICULUM_DIR / module / "module.yaml", tiers) == []
    assert label_problems(Path(module), load(CURRICULUM_DIR / module / "module.yaml")) == []


def test_the_glossary_has_no_authoring_labels():
    assert label_problems(Path("glossary.yaml"), load(CURRICULUM_DIR / "glossary.yaml")) == []


def test_authoring_labels_are_found_in_text_and_not_in_keys():
    spec = {
        "lessons": [
            {
                "slug": "s1",
                "body": [
                    {"fact": {"statement": "Mines grew (S23).", "sources": ["S23"]}},
                    {"text": "As our seed report says, see M5 and the voice block."},
                ],
                "teacher_guide": {"notes": "Use the brief's fact bank (F12)."},
            }
        ]
    }
    found = " ".join(label_problems(Path("x.yaml"), spec))
    for label in ("'S23'", "'seed report'", "'M5'", "'voice block'", "'the brief'", "'F12'"):
        assert label in found
    assert "fact bank" in found
    assert len(label_problems(Path("x.yaml"), spec)) == 7  # the `sources:` key is not text


def test_quiz_rules_refuse_a_key_given_away_by_length_and_silent_wrong_choices():
    def single(longest_key: bool, feedback: bool = True) -> dict:
        key = "a much longer and fuller answer" if longest_key else "short"
        return {
            "type": "single",
            "prompt": "Which is it?",
            "skill": "apply",
            "choices": [
                {"text": key, "correct": True},
                {"text": "brief", **({"feedback": "Tempting, but no."} if feedback else {})},
                {"text": "tiny", "feedback": "Not this one."},
            ],
        }

    given_away = quiz_rules(FILES[0], "t3", [single(True)] * 8)
    assert any("uniquely longest" in e for e in given_away)
    assert quiz_rules(FILES[0], "t3", [single(True)] * 2 + [single(False)] * 6) == []
    silent = quiz_rules(FILES[0], "t3", [single(False, feedback=False)] * 8)
    assert any("has no feedback" in e for e in silent)
    recall = [{**single(False), "skill": "recall"}] * 8
    assert any("apply or analyse" in e for e in quiz_rules(FILES[0], "t4", recall))
    assert quiz_rules(FILES[0], "t2", recall) == []


def test_lint_refuses_a_quiz_whose_correct_choices_come_first():
    def single(first_correct: bool) -> dict:
        return {
            "type": "single",
            "prompt": "?",
            "choices": [
                {"text": "a", "correct": first_correct},
                {"text": "b"},
                {"text": "c", "correct": not first_correct},
                {"text": "d"},
            ],
        }

    assert "come first too often" in check_key_positions([single(True)] * 6)
    assert check_key_positions([single(True)] * 2 + [single(False)] * 6) is None
    # The curriculum's own quizzes, as first written: correct first in every question.
    authored = [
        {**q, "choices": sorted(q["choices"], key=lambda c: not c.get("correct"))}
        for q in load(FILES[0])["quiz"]["questions"]
        if q.get("choices")
    ]
    assert check_key_positions(authored) is not None


def test_whole_curriculum_loads_and_a_second_run_changes_nothing(db, capsys, client):
    call_command("load_curriculum")
    first = capsys.readouterr().out
    total = int(re.search(r"(\d+) items: \1 created, 0 updated, 0 unchanged", first)[1])
    # Every translation file shipped loads: none fails, none names nothing.
    shipped = len(list((CURRICULUM_DIR / "translations").rglob("*.po")))
    loaded = int(re.search(r"Translations: (\d+) translations loaded, 0 unchanged\n", first)[1])
    assert loaded == shipped, first[-2000:]
    call_command("load_curriculum")
    second = capsys.readouterr().out
    assert f"{total} items: 0 created, 0 updated, {total} unchanged" in second  # same units

    from lessons.models import LessonPage, ModulePage, ModuleTierPage, TeacherGuide, Term

    assert ModulePage.objects.live().filter(**ENGLISH).count() == 8
    assert ModuleTierPage.objects.live().filter(**ENGLISH).count() == 28
    assert LessonPage.objects.live().filter(**ENGLISH).count() >= 56
    assert Term.objects.filter(**ENGLISH).count() >= 40
    english_lessons = LessonPage.objects.filter(**ENGLISH)
    assert (
        TeacherGuide.objects.filter(page__in=english_lessons, **ENGLISH).count()
        == english_lessons.count()
    )
    index = client.get("/curriculum/").content.decode()
    assert index.count('class="card module-card"') == 8
    lesson = LessonPage.objects.live().filter(tier="t1", **ENGLISH).first()
    assert client.get(lesson.url).status_code == 200

    # Every page's browser title is its own, though lessons share titles across ages.
    pages = [
        *LessonPage.objects.live().filter(**ENGLISH),
        *ModuleTierPage.objects.live().filter(**ENGLISH),
        *ModulePage.objects.live().filter(**ENGLISH),
    ]
    titles = [p.browser_title() if hasattr(p, "browser_title") else p.title for p in pages]
    assert len(set(titles)) == len(titles)
    shared = Counter(p.title for p in LessonPage.objects.live().filter(**ENGLISH))
    assert max(shared.values()) > 1  # what the age range tells apart
    twin = LessonPage.objects.live().filter(
        title__in=[t for t, n in shared.items() if n > 1], **ENGLISH
    )
    for page in twin.order_by("path")[:2]:
        html = client.get(page.url).content.decode()
        title = unescape(re.search(r"<title>(.*?)</title>", html, re.S)[1]).strip()
        assert title == f"{page.title} · {page.get_tier_display()} · REElearn"

    # Every printable sheet an activity names is printed in its module-tier's pack (the
    # student edition, answers held back), and every lesson for ages 7-14 shows a picture.
    from lessons.models import Printable, RoutePage, SituationNote
    from reelearn.packs.content import load_page_content
    from reelearn.packs.models import Pack
    from reelearn.packs.rendering import render_html

    named = {}
    for lesson in LessonPage.objects.live().filter(**ENGLISH):
        for block in lesson.body:
            if block.block_type == "activity":
                for sheet in block.value.get("sheets") or []:
                    named.setdefault(lesson.get_parent().pk, set()).add(sheet["key"])
    assert named, "no activity names a printable sheet"
    titles = dict(Printable.objects.values_list("key", "title"))
    for tier_page in ModuleTierPage.objects.live().filter(pk__in=named):
        html = unescape(
            render_html(load_page_content(page=tier_page, edition=Pack.Edition.STUDENT, paper="a4"))
        )
        missing = [key for key in named[tier_page.pk] if titles[key] not in html]
        assert not missing, f"{tier_page}: sheets not in the pack: {missing}"
    for lesson in LessonPage.objects.live().filter(tier__in=["t1", "t2"], **ENGLISH):
        html = client.get(lesson.url).content.decode()
        assert 'class="block-diagram"' in html or 'class="block-chart' in html, lesson.url
    # The routes and the situation note are live pages.
    assert RoutePage.objects.live().filter(**ENGLISH).count() == 12
    for route in RoutePage.objects.live()[:2]:
        assert client.get(route.url).status_code == 200
    for note in SituationNote.objects.all():
        assert client.get(note.get_absolute_url()).status_code == 200


def copy_curriculum(tmp_path: Path) -> Path:
    target = tmp_path / "curriculum"
    # Without the translations: these tests are about the English source (the whole
    # curriculum test and test_curriculum_translations.py load translations).
    shutil.copytree(
        CURRICULUM_DIR, target, ignore=shutil.ignore_patterns("*.py", "*.md", "translations")
    )
    return target


def test_editor_changes_are_left_alone_unless_forced(db, tmp_path, capsys):
    from lessons.models import LessonPage

    root = copy_curriculum(tmp_path)
    for path in root.glob("m*/t*.yaml"):
        if path.parent.name != "m1":
            path.unlink()
    (root / "routes.yaml").unlink()  # its routes name lessons of the modules left out
    call_command("load_curriculum", path=root)
    lesson = LessonPage.objects.get(slug="meet-the-family", tier="t1", **ENGLISH)
    lesson.title = "Edited by an editor"
    lesson.save_revision().publish()
    t1 = root / "m1" / "t1.yaml"
    t1.write_text(
        t1.read_text()
        .replace("title: Meet the family", "title: Meet the REE family")
        .replace('title: "Meet the family"', 'title: "Meet the REE family"')
    )
    capsys.readouterr()
    call_command("load_curriculum", path=root)
    out = capsys.readouterr().out
    assert "lesson:m1/t1/meet-the-family" in out
    assert LessonPage.objects.get(pk=lesson.pk).title == "Edited by an editor"
    call_command("load_curriculum", path=root, force=True)
    assert LessonPage.objects.get(pk=lesson.pk).title == "Meet the REE family"


def test_changed_file_updates_pages_the_loader_owns(db, tmp_path, capsys):
    from lessons.models import LessonPage

    root = copy_curriculum(tmp_path)
    call_command("load_curriculum", path=root)
    t1 = root / "m1" / "t1.yaml"
    data = t1.read_text()
    outcome = load(t1)["lessons"][0]["outcome"]
    t1.write_text(data.replace(outcome, "I can name three rare earth elements."))
    capsys.readouterr()
    call_command("load_curriculum", path=root)
    assert "0 created, 1 updated" in capsys.readouterr().out
    assert (
        LessonPage.objects.get(slug=load(t1)["lessons"][0]["slug"], tier="t1", **ENGLISH).outcome
        == "I can name three rare earth elements."
    )


def test_unknown_source_fails_naming_file_and_line_and_loads_nothing(db, tmp_path):
    from lessons.models import LessonPage, Source

    root = copy_curriculum(tmp_path)
    t1 = root / "m1" / "t1.yaml"
    lines = t1.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if re.search(r"sources:\s*\[", line))
    lines[number] = re.sub(r"\[.*\]", "[S999]", lines[number])
    t1.write_text("\n".join(lines))
    with pytest.raises(CommandError) as info:
        call_command("load_curriculum", path=root)
    message = str(info.value)
    assert "unknown source 'S999'" in message and f"{t1}:" in message
    assert LessonPage.objects.count() == 0 and Source.objects.count() == 0


def test_malformed_yaml_names_file_and_line(db, tmp_path):
    root = copy_curriculum(tmp_path)
    bad = root / "m2" / "t1.yaml"
    bad.write_text(bad.read_text() + "\n  - this: [is: broken\n")
    with pytest.raises(CommandError, match=rf"{re.escape(str(bad))}:\d+: malformed YAML"):
        call_command("load_curriculum", path=root)
