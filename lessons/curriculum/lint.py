"""Check curriculum source files without a database: python lessons/curriculum/lint.py [files...]

Prints readability per lesson and every broken reference. Exit status 1 when anything fails.
The same rules run as tests in tests/lessons/test_curriculum.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import textstat
import yaml

ROOT = Path(__file__).resolve().parent
CEILING = {"t1": 5.0, "t2": 8.0, "t3": 10.0, "t4": 13.0}
T1_BANNED = re.compile(
    r"\b(armed|army|armies|soldier|soldiers|militia|militias|coup|weapon|weapons|war|wars|"
    r"fighting|rebel|rebels|gun|guns|military|conflict|KIA|Border Guard)\b",
    re.IGNORECASE,
)
QUESTION_TYPES = {
    "single", "multiple", "true_false", "short_text", "numeric", "ordering", "matching", "open",
}


def load(name: str):
    path = ROOT / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


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
        (kind, value), = block.items()
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
    return "\n".join(line if line.rstrip().endswith((".", "?", "!", ":")) else line + "."
                     for line in text.splitlines() if line.strip())


def check_question(q: dict) -> str | None:
    kind = q.get("type")
    if kind not in QUESTION_TYPES:
        return f"unknown question type {kind!r}"
    if not q.get("prompt"):
        return "question without a prompt"
    choices = q.get("choices", [])
    correct = [c for c in choices if c.get("correct")]
    if kind == "single" and (len(correct) != 1 or len(choices) < 2):
        return f"single-choice question needs exactly one correct of 2+ choices: {q['prompt']!r}"
    if kind == "multiple" and (not correct or len(choices) < 2):
        return f"multiple-choice question needs a correct choice: {q['prompt']!r}"
    if kind == "true_false" and not isinstance(q.get("answer"), bool):
        return f"true/false question needs answer: true|false: {q['prompt']!r}"
    if kind == "short_text" and not q.get("accepted"):
        return f"short-text question needs accepted answers: {q['prompt']!r}"
    if kind == "numeric" and not isinstance(q.get("answer"), int | float):
        return f"numeric question needs a numeric answer: {q['prompt']!r}"
    if kind == "ordering" and len(q.get("items", [])) < 2:
        return f"ordering question needs 2+ items: {q['prompt']!r}"
    if kind == "matching" and len(q.get("pairs", [])) < 2:
        return f"matching question needs 2+ pairs: {q['prompt']!r}"
    return None


def first_correct_chance(questions: list[dict]) -> float:
    """How likely chance alone puts a correct choice first in at least as many single- and
    multiple-choice questions as this quiz does (each question's chance is its share of
    correct choices; the exact tail of that Poisson-binomial distribution)."""
    shares, seen = [], 0
    for q in questions:
        choices = q.get("choices") or []
        if q.get("type") not in ("single", "multiple") or not choices:
            continue
        shares.append(sum(bool(c.get("correct")) for c in choices) / len(choices))
        seen += bool(choices[0].get("correct"))
    odds = [1.0]  # odds[k]: the chance of exactly k correct-first questions so far
    for share in shares:
        odds = [(odds[k] if k < len(odds) else 0.0) * (1 - share)
                + (odds[k - 1] * share if k else 0.0) for k in range(len(odds) + 1)]
    return sum(odds[seen:])


# Pupils learn where keys sit: a quiz whose correct choices come first more often than this
# chance allows is refused (authors vary the position; shuffling is a setting teachers change).
KEY_POSITION_CHANCE = 0.01


def check_key_positions(questions: list[dict]) -> str | None:
    chance = first_correct_chance(questions)
    if chance < KEY_POSITION_CHANCE:
        return (f"correct choices come first too often (chance {chance:.4f}): vary where the "
                f"correct choice sits")
    return None


def lint_file(path: Path, sources: set, terms: set, images: set) -> list[str]:
    errors = []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    tier = data["tier"]
    for lesson in data.get("lessons", []):
        name = f"{path.relative_to(ROOT)}:{lesson.get('slug')}"
        grade = textstat.flesch_kincaid_grade(pupil_text(lesson, data.get("summary", "")))
        flag = "OK " if grade <= CEILING[tier] else "TOO HARD"
        print(f"  {flag} grade {grade:5.1f} (ceiling {CEILING[tier]}) {name}")
        if grade > CEILING[tier]:
            errors.append(f"{name}: reading grade {grade} above {CEILING[tier]}")
        kp = lesson.get("key_points", [])
        if not 3 <= len(kp) <= 5:
            errors.append(f"{name}: {len(kp)} key points (3-5)")
        for slug in lesson.get("keywords", []):
            if slug not in terms:
                errors.append(f"{name}: keyword {slug!r} not in glossary.yaml")
        if tier == "t1" and T1_BANNED.search(yaml.safe_dump(lesson)):
            word = T1_BANNED.search(yaml.safe_dump(lesson))[0]
            errors.append(f"{name}: t1 mentions conflict: {word}")
        for block in lesson.get("body", []):
            (kind, value), = block.items()
            if kind in ("fact", "chart"):
                if not value.get("sources"):
                    errors.append(f"{name}: {kind} without sources")
                errors += [f"{name}: unknown source {s}" for s in value.get("sources", [])
                           if s not in sources]
            if kind == "voice" and value.get("source") and value["source"] not in sources:
                errors.append(f"{name}: unknown source {value['source']}")
            if kind == "term" and value not in terms:
                errors.append(f"{name}: term {value!r} not in glossary.yaml")
            if kind == "image" and value.get("key") not in images:
                errors.append(f"{name}: image {value.get('key')!r} not in images.yaml")
    questions = (data.get("quiz") or {}).get("questions", [])
    if len(questions) < 8:
        errors.append(f"{path.name}: quiz has {len(questions)} questions (8+)")
    errors += [f"{path.relative_to(ROOT)}: {e}" for q in questions if (e := check_question(q))]
    if problem := check_key_positions(questions):
        errors.append(f"{path.relative_to(ROOT)}: quiz: {problem}")
    return errors


def main(argv: list[str]) -> int:
    sources = {s["key"] for s in load("sources.yaml") or []}
    terms = {t["slug"] for t in load("glossary.yaml") or []}
    images = {i["key"] for i in load("images.yaml") or []}
    files = [Path(a).resolve() for a in argv] or sorted(ROOT.glob("m*/t*.yaml"))
    errors = []
    for path in files:
        print(path.relative_to(ROOT))
        errors += lint_file(path, sources, terms, images)
    for e in errors:
        print("ERROR", e)
    print(f"{len(files)} files, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
