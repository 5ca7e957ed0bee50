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


def lint_file(path: Path, spec: dict) -> list[str]:
    """The checks only the lint makes: reading level, the youngest tier's words, quiz length.
    (Every rule the loader keeps comes from reelearn.curriculum.validation, in `main`.)"""
    errors = []
    tier = spec["tier"]
    for lesson in spec.get("lessons", []):
        name = f"{path.relative_to(ROOT)}:{lesson.get('slug')}"
        grade = textstat.flesch_kincaid_grade(pupil_text(lesson, spec.get("summary", "")))
        flag = "OK " if grade <= CEILING[tier] else "TOO HARD"
        print(f"  {flag} grade {grade:5.1f} (ceiling {CEILING[tier]}) {name}")
        if grade > CEILING[tier]:
            errors.append(f"{name}: reading grade {grade} above {CEILING[tier]}")
        text = json.dumps(lesson, ensure_ascii=False, default=str)
        banned = T1_BANNED.search(text) if tier == "t1" else None
        if banned:
            errors.append(f"{name}: t1 mentions conflict: {banned[0]}")
    questions = (spec.get("quiz") or {}).get("questions", [])
    if len(questions) < 8:
        errors.append(f"{path.name}: quiz has {len(questions)} questions (8+)")
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
    for _module_file, _module, tiers in data["modules"]:
        for path, spec in tiers:
            if wanted and path.resolve() not in wanted:
                continue
            files += 1
            print(path.relative_to(ROOT))
            errors += lint_file(path, spec)
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
