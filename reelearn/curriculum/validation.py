"""The rules the curriculum source files must keep: one copy, for the loader (which refuses to
write anything while a rule is broken) and for `lessons/curriculum/lint.py` (which also prints
readability). Every problem names its file and line.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lessons.models import ContentGuidance, LessonPage, Strand, Tier

GUIDANCE_KINDS = {c.value for c in ContentGuidance.Kind}
SUPERVISION = {c.value for c in LessonPage.Supervision}
BLOCK_KINDS = {
    "text",
    "fact",
    "term",
    "image",
    "activity",
    "discussion",
    "voice",
    "chart",
    "check",
    "quiz",
    "video",
}
QUESTION_TYPES = {
    "single",
    "multiple",
    "true_false",
    "short_text",
    "numeric",
    "ordering",
    "matching",
    "open",
}
SHEET_KINDS = {"cards", "table", "template"}
ROUTE_LENGTHS = {"one", "three", "unit"}
# Pupils learn where keys sit: a quiz whose correct choices come first more often than this
# chance allows is refused (authors vary the position; shuffling is a setting teachers change).
KEY_POSITION_CHANCE = 0.01


# Authoring labels (BRIEF §0) never reach readers: the brief's tag for the report, its fact and
# source ids, module codes and the source format's block names. Published text names "the
# British Academy report" instead.
LABEL_WORDS = re.compile(
    r"\bseed report\b|\[seed\]|\bthe brief\b|\bfact bank\b|\bfact ids?\b|"
    r"\b(?:voice|fact|text|activity|discussion|chart|check|quiz|term|image|video) blocks?\b",
    re.IGNORECASE,
)
LABEL_IDS = re.compile(r"\b(?:[SF]\d{1,2}|M[1-8])\b")
# Fields that hold keys, dates or ids for the loader, never shown as text.
UNPUBLISHED_KEYS = frozenset(
    {
        "sources",
        "source",
        "key",
        "slug",
        "keywords",
        "hero_image",
        "image",
        "reviewed",
        "code",
        "type",
        "kind",
        "tier",
        "strand",
        "supervision",
        "anchor",
        "skill",
        "accessed",
        "url",
    }
)


def label_problems(path: Path, node, trail: str = "") -> list[str]:
    """Every authoring label in the published text of one parsed source file."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in UNPUBLISHED_KEYS:
                found += label_problems(path, value, f"{trail}.{key}" if trail else str(key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += label_problems(path, value, f"{trail}[{n}]")
    elif isinstance(node, str):
        for match in (*LABEL_WORDS.finditer(node), *LABEL_IDS.finditer(node)):
            found.append(f"{path}: {trail}: authoring label {match[0]!r} in published text")
    return found


class CurriculumError(Exception):
    """A problem in the source files; the message names the file and line."""


def where(path: Path, node) -> str:
    return f"{path}:{getattr(node, 'line', '?')}"


# --- Quizzes ----------------------------------------------------------------------------------


def check_question(q: dict) -> str | None:
    """What is wrong with one question's key, or None."""
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
        odds = [
            (odds[k] if k < len(odds) else 0.0) * (1 - share) + (odds[k - 1] * share if k else 0.0)
            for k in range(len(odds) + 1)
        ]
    return sum(odds[seen:])


def check_key_positions(questions: list[dict]) -> str | None:
    chance = first_correct_chance(questions)
    if chance < KEY_POSITION_CHANCE:
        return (
            f"correct choices come first too often (chance {chance:.4f}): vary where the "
            f"correct choice sits"
        )
    return None


def quiz_problems(path: Path, quiz) -> list[str]:
    raw = quiz.get("questions") if isinstance(quiz, dict) else None
    questions = [q for q in raw or [] if isinstance(q, dict)]
    problems = [f"{where(path, q)}: {e}" for q in questions if (e := check_question(q))]
    if problem := check_key_positions(questions):
        problems.append(f"{where(path, quiz)}: quiz: {problem}")
    return problems


# --- Files ------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, root: Path, data: dict):
        self.root = root
        self.problems: list[str] = []
        self.source_keys = {str(s.get("key")) for s in data["sources"] if isinstance(s, dict)}
        self.term_slugs = {str(t.get("slug")) for t in data["terms"] if isinstance(t, dict)}
        self.image_keys = {str(i.get("key")) for i in data["images"] if isinstance(i, dict)}
        self.sheet_keys: set[str] = set()
        self.lesson_refs: dict[str, str] = {}
        self.situation_slugs: set[str] = set()

    def add(self, path: Path, node, message: str) -> None:
        self.problems.append(f"{where(path, node)}: {message}")

    def require(self, node, key: str, path: Path):
        if not isinstance(node, dict) or node.get(key) in (None, ""):
            self.add(path, node, f"missing required field '{key}'")
            return None
        return node[key]

    def check(self, data: dict) -> list[str]:
        for node in data["sources"]:
            for key in ("key", "title", "author"):
                self.require(node, key, self.root / "sources.yaml")
        for node in data["terms"]:
            for key in ("slug", "term", "simple", "full"):
                self.require(node, key, self.root / "glossary.yaml")
        for node in data["images"]:
            for key in ("key", "file", "title", "alt"):
                self.require(node, key, self.root / "images.yaml")
            if node.get("file") and not (self.root / "images" / node["file"]).exists():
                self.add(
                    self.root / "images.yaml", node, f"image file images/{node['file']} not found"
                )
        situation_file = self.root / "situation.yaml"
        for node in data.get("situations") or []:
            for key in ("slug", "title", "reviewed", "newest_source", "body"):
                self.require(node, key, situation_file)
        self.situation_slugs = {
            str(n.get("slug")) for n in data.get("situations") or [] if isinstance(n, dict)
        }
        for module_file, module, tiers in data["modules"]:
            for key in ("code", "slug", "title", "strand", "summary"):
                self.require(module, key, module_file)
            if (
                isinstance(module, dict)
                and module.get("strand")
                and module["strand"] not in Strand.values
            ):
                self.add(module_file, module, f"unknown strand '{module['strand']}'")
            hero = module.get("hero_image") if isinstance(module, dict) else None
            if hero and hero not in self.image_keys:
                self.add(module_file, module, f"unknown image '{hero}'")
            for tier_file, spec in tiers:
                self.tier(tier_file, spec)
                code = module.get("code") if isinstance(module, dict) else None
                for lesson in (spec.get("lessons") if isinstance(spec, dict) else None) or []:
                    if isinstance(lesson, dict):
                        self.lesson_refs[f"{code}/{spec.get('tier')}/{lesson.get('slug')}"] = (
                            spec.get("tier")
                        )
        self.routes(data.get("routes") or [])
        return self.problems

    def routes(self, routes: list) -> None:
        path = self.root / "routes.yaml"
        sizes = {"one": 1, "three": 3}
        for route in routes:
            if not all(
                self.require(route, k, path) is not None
                for k in ("slug", "title", "tier", "length", "summary", "lessons")
            ):
                continue
            if route["length"] not in ROUTE_LENGTHS:
                self.add(path, route, f"unknown route length '{route['length']}'")
            wanted = sizes.get(route["length"])
            if wanted and len(route["lessons"]) != wanted:
                self.add(path, route, f"a '{route['length']}' route has {wanted} lesson(s)")
            for ref in route["lessons"]:
                tier = self.lesson_refs.get(str(ref))
                if tier is None:
                    self.add(path, route, f"unknown lesson '{ref}' (mN/tK/lesson-slug)")
                elif tier != route["tier"]:
                    self.add(path, route, f"lesson '{ref}' is not at tier {route['tier']}")

    def tier(self, path: Path, spec) -> None:
        if not isinstance(spec, dict):
            self.problems.append(f"{path}:1: expected a mapping with 'tier' and 'lessons'")
            return
        tier = self.require(spec, "tier", path)
        if tier is not None and tier not in Tier.values:
            self.add(path, spec, f"unknown tier '{tier}'")
        slugs = set()
        for lesson in self.require(spec, "lessons", path) or []:
            if not all(
                [
                    self.require(lesson, key, path) is not None
                    for key in ("slug", "title", "outcome", "key_points", "body")
                ]
            ):
                continue
            if lesson["slug"] in slugs:
                self.add(path, lesson, f"duplicate lesson slug '{lesson['slug']}'")
            slugs.add(lesson["slug"])
            if not 3 <= len(lesson["key_points"]) <= 5:
                self.add(path, lesson, "a lesson needs 3 to 5 key points")
            for slug in lesson.get("keywords") or []:
                if slug not in self.term_slugs:
                    self.add(path, lesson, f"unknown glossary term '{slug}'")
            if lesson.get("supervision", "independent") not in SUPERVISION:
                self.add(path, lesson, f"unknown supervision '{lesson.get('supervision')}'")
            for guidance in lesson.get("content_guidance") or []:
                if guidance.get("kind") not in GUIDANCE_KINDS:
                    self.add(
                        path, guidance, f"unknown content guidance kind '{guidance.get('kind')}'"
                    )
            for block in lesson["body"]:
                self.block(path, block)
            self.sheets(path, lesson)
            if lesson.get("situation") and str(lesson["situation"]) not in self.situation_slugs:
                self.add(path, lesson, f"unknown situation note '{lesson['situation']}'")
        if spec.get("quiz"):
            self.problems += quiz_problems(path, spec["quiz"])

    def sheets(self, path: Path, lesson: dict) -> None:
        """Printable sheets: well formed, unique keys, each used by an activity of the lesson,
        and every sheet an activity names defined."""
        defined = {}
        for sheet in lesson.get("sheets") or []:
            if not all(self.require(sheet, k, path) is not None for k in ("key", "title")):
                continue
            key = str(sheet["key"])
            if key in self.sheet_keys:
                self.add(path, sheet, f"duplicate sheet key '{key}'")
            self.sheet_keys.add(key)
            defined[key] = sheet
            kind = sheet.get("kind", "template")
            if kind not in SHEET_KINDS:
                self.add(path, sheet, f"unknown sheet kind '{kind}' (one of {sorted(SHEET_KINDS)})")
            elif kind == "cards" and not sheet.get("cards"):
                self.add(path, sheet, "a cards sheet needs `cards:`")
            elif kind == "table" and not (sheet.get("table") or {}).get("rows"):
                self.add(path, sheet, "a table sheet needs `table: {columns, rows}`")
            elif kind == "template" and not (sheet.get("text") or "").strip():
                self.add(path, sheet, "a template sheet needs `text:`")
        used = set()
        for block in lesson.get("body") or []:
            activity = block.get("activity") if isinstance(block, dict) else None
            for item in (activity or {}).get("materials") or []:
                if isinstance(item, dict):
                    key = str(item.get("sheet"))
                    used.add(key)
                    if key not in defined:
                        self.add(path, activity, f"activity uses unknown sheet '{key}'")
        for key, sheet in defined.items():
            if key not in used:
                self.add(path, sheet, f"sheet '{key}' is used by no activity of its lesson")

    def block(self, path: Path, block) -> None:
        if not isinstance(block, dict) or len(block) != 1:
            self.add(path, block, "a body block is a one-key mapping")
            return
        ((kind, value),) = block.items()
        if kind not in BLOCK_KINDS:
            self.add(path, block, f"unknown block type '{kind}'")
            return
        cited = []
        if kind in ("fact", "chart"):
            cited = value.get("sources") or []
            if not cited:
                self.add(path, value, f"a {kind} needs at least one source")
        if kind == "voice" and value.get("source"):
            cited = [value["source"]]
        for key in cited:
            if str(key) not in self.source_keys:
                self.add(path, value, f"unknown source '{key}'")
        if kind == "term" and value not in self.term_slugs:
            self.add(path, block, f"unknown glossary term '{value}'")
        if kind == "image" and value.get("key") not in self.image_keys:
            self.add(path, value, f"unknown image '{value.get('key')}'")
        if kind == "chart":
            for row in value.get("rows") or []:
                try:
                    Decimal(str(row[1]))
                except (InvalidOperation, IndexError, TypeError):
                    self.add(path, value, f"chart row {row!r} needs a label and a number")


def curriculum_problems(root: Path, data: dict) -> list[str]:
    """Every broken rule in the parsed source files (`CurriculumLoader.read`), in file order:
    the loader writes nothing while one is broken, authoring labels in published text
    included."""
    problems = _Checker(Path(root), data).check(data)
    root = Path(root)
    problems += label_problems(root / "glossary.yaml", data["terms"])
    for module_file, module, tiers in data["modules"]:
        problems += label_problems(module_file, module)
        for tier_file, spec in tiers:
            problems += label_problems(tier_file, spec)
    for name in ("situations", "routes"):
        problems += label_problems(root / f"{name}.yaml", data.get(name) or [])
    return problems
