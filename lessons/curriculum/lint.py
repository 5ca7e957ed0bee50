"""Check curriculum source files without a database: python lessons/curriculum/lint.py [files...]

Prints readability per lesson and every broken rule: the loader's own (one copy, in
reelearn.curriculum.validation) and the authoring checks only this lint makes. Exit status 1
when anything fails. The same rules run as tests in tests/lessons/test_curriculum.py.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import textstat

ROOT = Path(__file__).resolve().parent

CEILING = {"t1": 5.0, "t2": 8.0, "t3": 10.0, "t4": 13.0}
T1_BANNED = re.compile(
    r"\b(armed|army|armies|soldier|soldiers|militia|militias|coup|weapon|weapons|war|wars|"
    r"fighting|rebel|rebels|gun|guns|military|conflict|KIA|Border Guard)\b",
    re.IGNORECASE,
)


def unwrap(markdown_text: str) -> str:
    """Join wrapped lines into paragraphs; list items and headings stay on their own lines."""
    out: list[str] = []
    for line in markdown_text.splitlines():
        stripped = line.strip()
        starts_item = re.match(r"([-*+]|\d+[.)]|#+)\s", stripped)
        if stripped and out and out[-1] and not starts_item:
            out[-1] += " " + stripped
        else:
            out.append(stripped)
    return "\n".join(out)


def pupil_text(lesson: dict, summary: str = "") -> str:
    parts = [summary, lesson.get("outcome", ""), *lesson.get("key_points", [])]
    for block in lesson.get("body", []):
        ((kind, value),) = block.items()
        if kind == "text":
            parts.append(unwrap(value))
        elif kind == "fact":
            parts.append(value.get("statement", ""))
        elif kind == "activity":
            parts.extend(value.get("steps", []))
        elif kind == "discussion":
            parts.append(value.get("question", ""))
            parts.extend(v.get("view", "") for v in value.get("viewpoints", []))
        elif kind == "check":
            parts.extend(value)
    text = "\n".join(p.strip() for p in parts if p)
    text = re.sub(r"[#*_>`]", "", text)
    # Each list item and line is a sentence for readability purposes.
    return "\n".join(
        line if line.rstrip().endswith((".", "?", "!", ":")) else line + "."
        for line in text.splitlines()
        if line.strip()
    )


# Quizzes that diagnose (second edition): the key is not given away by its length, every wrong
# choice says why it tempts and why it is wrong, and older pupils apply what they learnt.
LONGEST_SHARE = 0.35
APPLY_SKILLS = {"apply", "analyse", "evaluate"}
SKILLS = {"recall", "understand", *APPLY_SKILLS}
APPLY_SHARE = {"t3": 0.4, "t4": 0.4}


def sentences(parts) -> str:
    text = "\n".join(p.strip() for p in parts if p and str(p).strip())
    text = re.sub(r"[#*_>`]", "", text)
    return "\n".join(
        line if line.rstrip().endswith((".", "?", "!", ":")) else line + "."
        for line in text.splitlines()
        if line.strip()
    )


def fact_text(lesson: dict) -> str:
    return sentences(
        value.get("statement", "")
        for block in lesson.get("body", [])
        for kind, value in block.items()
        if kind == "fact"
    )


def quiz_text(questions: list[dict]) -> str:
    parts = []
    for q in questions:
        parts += [q.get("prompt", ""), q.get("hint", "")]
        for c in q.get("choices") or []:
            parts += [c.get("text", ""), c.get("feedback", "")]
    return sentences(str(p) for p in parts)


def longest_is_key(q: dict) -> bool:
    """The correct choice of a single-choice question is the one uniquely longest option."""
    choices = q.get("choices") or []
    right = [len(str(c.get("text", ""))) for c in choices if c.get("correct")]
    wrong = [len(str(c.get("text", ""))) for c in choices if not c.get("correct")]
    return len(right) == 1 and bool(wrong) and right[0] > max(wrong)


def quiz_rules(path: Path, tier: str, questions: list[dict]) -> list[str]:
    name = path.relative_to(ROOT)
    errors = []
    single = [q for q in questions if q.get("type") == "single"]
    longest = sum(longest_is_key(q) for q in single)
    allowed = int(LONGEST_SHARE * len(single))
    if longest > allowed:
        errors.append(
            f"{name}: the key is the uniquely longest choice in {longest} of {len(single)} "
            f"single-choice questions (at most {allowed}): vary the lengths"
        )
    for q in questions:
        if q.get("type") not in ("single", "multiple"):
            continue
        for c in q.get("choices") or []:
            if not c.get("correct") and not str(c.get("feedback", "")).strip():
                errors.append(
                    f"{name}: wrong choice {c.get('text')!r} of {q.get('prompt')!r} has no "
                    f"feedback (say why it tempts and why it is wrong)"
                )
        if q.get("skill") is not None and q["skill"] not in SKILLS:
            errors.append(f"{name}: unknown skill {q['skill']!r} (one of {sorted(SKILLS)})")
    if tier in APPLY_SHARE and questions:
        applying = sum(q.get("skill") in APPLY_SKILLS for q in questions)
        if applying < APPLY_SHARE[tier] * len(questions):
            errors.append(
                f"{name}: {applying} of {len(questions)} questions apply or analyse "
                f"(skill: apply|analyse|evaluate); at least {APPLY_SHARE[tier]:.0%} at {tier}"
            )
    grade = textstat.flesch_kincaid_grade(quiz_text(questions)) if questions else 0
    if grade > CEILING[tier]:
        errors.append(f"{name}: quiz reading grade {grade} above {CEILING[tier]}")
    return errors


# Materials an activity asks for that someone has to make on paper: they are printable sheets
# (`{sheet: key}` in `materials:`, defined under the lesson's `sheets:`), not a line of text.
PRINTABLE = re.compile(
    r"\b(cards?|templates?|worksheets?|record sheets?|data sheets?|grids?|slips?|matrix|"
    r"blank [\w ]*tables?|tables?:|diamond[- ]nine|timelines? strips?|role cards?|maps? to|"
    r"cut-?outs?)\b",
    re.IGNORECASE,
)
NOT_PRINTABLE = re.compile(
    r"sheets? of paper|graph paper|spreadsheet|sugar paper|index cards? \(blank\)|blank cards|"
    r"sticky|post-it|card ?board|paper card, not|fact boxes|chart and fact|the chart",
    re.IGNORECASE,
)


def printable_problems(path: Path, spec: dict) -> list[str]:
    errors = []
    for lesson in spec.get("lessons", []):
        for block in lesson.get("body", []):
            activity = block.get("activity") if isinstance(block, dict) else None
            for item in (activity or {}).get("materials") or []:
                if (
                    isinstance(item, str)
                    and PRINTABLE.search(item)
                    and not NOT_PRINTABLE.search(item)
                ):
                    errors.append(
                        f"{path.relative_to(ROOT)}:{lesson.get('slug')}: activity "
                        f"{activity.get('title')!r} asks for {item!r}: write it as a printable "
                        f"sheet (`{{sheet: key}}` and the lesson's `sheets:`)"
                    )
    return errors


QUOTE_REUSE = 3


def quotation_problems(tier_files) -> list[str]:
    """No quotation is used more than three times across the curriculum (voice blocks)."""
    seen: dict[str, list[str]] = {}
    for path, spec in tier_files:
        for lesson in spec.get("lessons", []):
            for block in lesson.get("body", []):
                voice = block.get("voice") if isinstance(block, dict) else None
                if voice and voice.get("quote"):
                    words = " ".join(str(voice["quote"]).split()).casefold()
                    seen.setdefault(words, []).append(f"{path.relative_to(ROOT)}:{lesson['slug']}")
    return [
        f"a quotation is used {len(places)} times (at most {QUOTE_REUSE}): {', '.join(places)}"
        for places in seen.values()
        if len(places) > QUOTE_REUSE
    ]


def anchor_problems(module_file: Path, tiers) -> list[str]:
    """A few anchor questions repeat across a module's tiers so teachers see progression."""
    if len(tiers) < 2:
        return []
    seen: dict[str, set] = {}
    for _path, spec in tiers:
        for q in (spec.get("quiz") or {}).get("questions", []):
            if q.get("anchor"):
                seen.setdefault(str(q["anchor"]), set()).add(spec.get("tier"))
    if not any(len(t) >= 2 for t in seen.values()):
        return [
            f"{module_file.relative_to(ROOT)}: no anchor question is asked at two or more tiers "
            f"(give matching questions the same `anchor:` id)"
        ]
    return []


def lint_file(path: Path, spec: dict) -> list[str]:
    """The checks only the lint makes: reading level (lessons, fact boxes, quiz text), the
    youngest tier's words, the quiz rules. (Every rule the loader keeps comes from
    reelearn.curriculum.validation, in `main`.)"""
    errors = []
    tier = spec["tier"]
    for lesson in spec.get("lessons", []):
        name = f"{path.relative_to(ROOT)}:{lesson.get('slug')}"
        grade = textstat.flesch_kincaid_grade(pupil_text(lesson, spec.get("summary", "")))
        flag = "OK " if grade <= CEILING[tier] else "TOO HARD"
        print(f"  {flag} grade {grade:5.1f} (ceiling {CEILING[tier]}) {name}")
        if grade > CEILING[tier]:
            errors.append(f"{name}: reading grade {grade} above {CEILING[tier]}")
        facts = fact_text(lesson)
        fact_grade = textstat.flesch_kincaid_grade(facts) if facts else 0
        if fact_grade > CEILING[tier]:
            errors.append(f"{name}: fact boxes' reading grade {fact_grade} above {CEILING[tier]}")
        text = json.dumps(lesson, ensure_ascii=False, default=str)
        banned = T1_BANNED.search(text) if tier == "t1" else None
        if banned:
            errors.append(f"{name}: t1 mentions conflict: {banned[0]}")
    questions = (spec.get("quiz") or {}).get("questions", [])
    if len(questions) < 8:
        errors.append(f"{path.name}: quiz has {len(questions)} questions (8+)")
    errors += quiz_rules(path, tier, questions)
    errors += printable_problems(path, spec)
    return errors


def main(argv: list[str]) -> int:
    from reelearn.curriculum.loader import CurriculumLoader
    from reelearn.curriculum.validation import CurriculumError, curriculum_problems

    loader = CurriculumLoader(ROOT)
    try:
        data = loader.read()
    except CurriculumError as exc:
        print("ERROR", exc)
        return 1
    wanted = {Path(a).resolve() for a in argv}
    errors = curriculum_problems(ROOT, data)
    files = 0
    for module_file, _module, tiers in data["modules"]:
        if (
            not wanted
            or module_file.resolve() in wanted
            or any(p.resolve() in wanted for p, _ in tiers)
        ):
            errors += anchor_problems(module_file, tiers)
        for path, spec in tiers:
            if wanted and path.resolve() not in wanted:
                continue
            files += 1
            print(path.relative_to(ROOT))
            errors += lint_file(path, spec)
    if not wanted:
        errors += quotation_problems([t for _m, _s, tiers in data["modules"] for t in tiers])
    for e in errors:
        print("ERROR", e)
    print(f"{files} files, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(ROOT.parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelearn.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a developer's check: no secrets needed
    django.setup()
    sys.exit(main(sys.argv[1:]))
