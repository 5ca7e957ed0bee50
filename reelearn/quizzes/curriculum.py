"""Load a quiz from the curriculum source format (lessons/curriculum/FORMAT.md, section `quiz:`).

`quiz_load` is called by the `load_curriculum` command. It is idempotent: the spec's digest is
stored on the quiz, and an unchanged spec writes nothing. A changed spec updates questions
position by position. Choices are matched by their key (the source's `key:`, else their
words), so reordering them keeps their rows; a reworded choice, or one whose correctness
changed, is a new row, and the old one is retired, not deleted, so an answer given before the
edit keeps its text and its meaning. Then it publishes a revision and regrades the quiz's
submitted attempts against the new key.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape, strip_tags

from .marking import quiz_regrade
from .models import Answer, Choice, Question, Quiz
from .policy import POLICY_KEYS, policy_clean

Kind = Question.Kind
MAX_QUESTIONS = 100


def spec_digest(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def prompt_html(text: str) -> str:
    """Plain text → rich text: escaped, one <p> per paragraph."""
    paragraphs = [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _number(value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{where} must be a number")
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{where} must be a number, got {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{where} must be a finite number")
    return result


def _text(value, where: str, *, required: bool = True, limit: int = 500) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"{where} must be text")
    value = str(value).strip()
    if required and not value:
        raise ValueError(f"{where} is missing")
    if len(value) > limit:
        raise ValueError(f"{where} is longer than {limit} characters")
    return value


def _question(raw, n: int) -> tuple[dict, list[dict]]:
    """One question spec → (Question fields, [Choice fields]); ValueError names question n."""
    where = f"question {n}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a mapping")
    kind = raw.get("type")
    if kind not in Kind.values:
        raise ValueError(f"{where}: unknown type {kind!r}")
    points = raw.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
        raise ValueError(f"{where}: points must be a whole number from 1 to 100")
    fields = {
        "kind": kind,
        "prompt": prompt_html(_text(raw.get("prompt"), f"{where}: prompt", limit=5000)),
        "points": points,
        "hint": _text(raw.get("hint"), f"{where}: hint", required=False, limit=1000),
        "explanation": _text(
            raw.get("explanation"), f"{where}: explanation", required=False, limit=2000
        ),
        "answer_bool": None,
        "accepted_answers": "",
        "numeric_answer": None,
        "numeric_tolerance": Decimal(0),
        "unit": "",
        "marking_guide": "",
        "key": _text(raw.get("key"), f"{where}: key", required=False, limit=64),
    }
    choices: list[dict] = []
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or len(raw_choices) < 2:
            raise ValueError(f"{where}: needs 2 or more choices")
        for i, c in enumerate(raw_choices, start=1):
            if not isinstance(c, dict):
                raise ValueError(f"{where}: choice {i} must be a mapping")
            choices.append(
                {
                    "text": _text(c.get("text"), f"{where}: choice {i} text"),
                    "key": _text(
                        c.get("key"), f"{where}: choice {i} key", required=False, limit=64
                    ),
                    "is_correct": bool(c.get("correct", False)),
                    "feedback": _text(
                        c.get("feedback"),
                        f"{where}: choice {i} feedback",
                        required=False,
                        limit=1000,
                    ),
                    "match_text": "",
                }
            )
        correct = sum(c["is_correct"] for c in choices)
        if kind == Kind.SINGLE and correct != 1:
            raise ValueError(
                f"{where}: a single-choice question needs exactly one correct "
                f"choice, found {correct}"
            )
        if kind == Kind.MULTIPLE and correct < 1:
            raise ValueError(f"{where}: a multiple-choice question needs a correct choice")
    elif kind == Kind.TRUE_FALSE:
        if not isinstance(raw.get("answer"), bool):
            raise ValueError(f"{where}: a true/false question needs answer: true or false")
        fields["answer_bool"] = raw["answer"]
    elif kind == Kind.SHORT_TEXT:
        accepted = raw.get("accepted")
        if not isinstance(accepted, list) or not accepted:
            raise ValueError(f"{where}: a short-text question needs accepted answers")
        fields["accepted_answers"] = "\n".join(
            _text(a, f"{where}: accepted answer {i}", limit=200)
            for i, a in enumerate(accepted, start=1)
        )
    elif kind == Kind.NUMERIC:
        if "answer" not in raw:
            raise ValueError(f"{where}: a numeric question needs an answer")
        fields["numeric_answer"] = _number(raw["answer"], f"{where}: answer")
        fields["numeric_tolerance"] = abs(_number(raw.get("tolerance", 0), f"{where}: tolerance"))
        fields["unit"] = _text(raw.get("unit"), f"{where}: unit", required=False, limit=40)
    elif kind == Kind.ORDERING:
        items = raw.get("items")
        if not isinstance(items, list) or len(items) < 2:
            raise ValueError(f"{where}: an ordering question needs 2 or more items")
        choices = [
            {
                "text": _text(item, f"{where}: item {i}"),
                "is_correct": False,
                "feedback": "",
                "match_text": "",
            }
            for i, item in enumerate(items, start=1)
        ]
    elif kind == Kind.MATCHING:
        pairs = raw.get("pairs")
        if not isinstance(pairs, list) or len(pairs) < 2:
            raise ValueError(f"{where}: a matching question needs 2 or more pairs")
        for i, pair in enumerate(pairs, start=1):
            if not isinstance(pair, dict):
                raise ValueError(f"{where}: pair {i} must be a mapping with left and right")
            choices.append(
                {
                    "text": _text(pair.get("left"), f"{where}: pair {i} left"),
                    "match_text": _text(pair.get("right"), f"{where}: pair {i} right"),
                    "is_correct": False,
                    "feedback": "",
                }
            )
    elif kind == Kind.OPEN:
        fields["marking_guide"] = _text(
            raw.get("marking_guide"), f"{where}: marking_guide", limit=5000
        )
    return fields, choices


def _parse(spec: dict) -> tuple[dict, list[tuple[dict, list[dict]]]]:
    if not isinstance(spec, dict):
        raise ValueError("quiz: must be a mapping")
    if "questions" not in spec and isinstance(spec.get("quiz"), dict):
        spec = spec["quiz"]
    quiz_fields = {
        "title": _text(spec.get("title"), "quiz title", limit=200),
        "intro": _text(spec.get("intro"), "quiz intro", required=False, limit=1000),
        "open_for_practice": spec.get("open_for_practice", False) is True,
    }
    try:
        quiz_fields.update(policy_clean({k: spec[k] for k in POLICY_KEYS if k in spec}))
    except ValidationError as error:
        raise ValueError(f"quiz settings: {error.messages}") from None
    questions = spec.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ValueError("quiz: needs a list of questions")
    if len(questions) > MAX_QUESTIONS:
        raise ValueError(f"quiz: at most {MAX_QUESTIONS} questions")
    return quiz_fields, [_question(q, n) for n, q in enumerate(questions, start=1)]


def quiz_load(*, spec: dict, page, key: str) -> str:
    """Create or update the quiz attached to `page` from a curriculum spec.

    Returns "created", "updated" or "unchanged". Raises ValueError naming the question number
    when the spec is malformed; nothing is written then (one transaction).
    """
    digest = spec_digest(spec)
    english = Quiz.objects.filter(locale=page.locale)
    quiz = english.filter(page=page).first() or english.filter(source_key=key).first()
    if (
        quiz is not None
        and quiz.source_digest == digest
        and quiz.page_id == page.pk
        and quiz.source_key == key
        and quiz.live
    ):
        return "unchanged"
    quiz_fields, questions = _parse(spec)
    with transaction.atomic():
        created = quiz is None
        if created:
            quiz = Quiz(page=page)
        for name, value in quiz_fields.items():
            setattr(quiz, name, value)
        quiz.page, quiz.source_key, quiz.source_digest = page, key, digest
        quiz.save()
        _write_questions(quiz, questions)
        quiz.save_revision().publish()
        if not created:
            quiz_regrade(quiz=quiz)
    return "created" if created else "updated"


def question_key(kind: str, prompt: str) -> str:
    """A question's identity when its source gives none: its type and its words."""
    words = " ".join(strip_tags(prompt).split()).casefold()
    return hashlib.sha256(f"{kind}\n{words}".encode()).hexdigest()[:32]


def _write_questions(quiz: Quiz, questions: list[tuple[dict, list[dict]]]) -> None:
    """Match questions to rows by key (the source's `key`, else type and words). A question
    whose words or type change is a new row: an answer given before keeps the question it
    answered. A row no longer in the source is retired if anyone answered it (kept with its
    answers and their scores, out of the quiz), else deleted."""
    existing = list(Question.objects.filter(quiz=quiz).order_by("retired", "sort_order", "pk"))
    unused = {row.pk: row for row in existing}
    for position, (fields, choices) in enumerate(questions):
        fields = dict(fields)
        key = fields.pop("key", "") or question_key(fields["kind"], fields["prompt"])
        question = next(
            (r for r in unused.values() if (r.key or question_key(r.kind, r.prompt)) == key),
            None,
        )
        if question is None:
            question = Question.objects.create(
                quiz=quiz, sort_order=position, key=key, retired=False, **fields
            )
        else:
            del unused[question.pk]
            for name, value in fields.items():
                setattr(question, name, value)
            question.sort_order, question.key, question.retired = position, key, False
            question.save()
        _write_choices(question, choices)
    stale = [pk for pk, row in unused.items() if not row.retired]
    if stale:
        answered = set(
            Answer.objects.filter(question_id__in=stale).values_list("question_id", flat=True)
        )
        Question.objects.filter(pk__in=answered).update(retired=True)
        Question.objects.filter(pk__in=set(stale) - answered).delete()


def _write_choices(question: Question, choices: list[dict]) -> None:
    """Match choices to rows by key and words. A reworded choice is a new row, and rows no
    longer in the source are retired (answers may point at them, and keep their words and
    their credit). A choice whose correctness or feedback changed keeps its row: answers
    that chose it still chose those words, and the regrade applies the corrected key."""
    rows = list(Choice.objects.filter(question=question).order_by("retired", "sort_order", "pk"))
    unused = {row.pk: row for row in rows}
    for position, fields in enumerate(choices):
        fields = dict(fields)
        key = fields.pop("key", "") or Choice.key_for(fields["text"], fields["match_text"])
        row = next(
            (
                r
                for r in unused.values()
                if r.key == key
                and r.text == fields["text"]
                and r.match_text == fields["match_text"]
            ),
            None,
        )
        if row is None:
            Choice.objects.create(question=question, sort_order=position, key=key, **fields)
            continue
        del unused[row.pk]
        update = {
            "retired": False,
            "sort_order": position,
            "is_correct": fields["is_correct"],
            "feedback": fields["feedback"],
        }
        if any(getattr(row, name) != value for name, value in update.items()):
            for name, value in update.items():
                setattr(row, name, value)
            row.save(update_fields=list(update))
    stale = [pk for pk, row in unused.items() if not row.retired]
    if stale:
        Choice.objects.filter(pk__in=stale).update(retired=True)
