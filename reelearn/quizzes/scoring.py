"""Pure grading: a question and a stored response in, a score out. No database access.

Rules (also stated to pupils on the quiz page):
- single, true/false, short text, numeric: all or nothing.
- multiple: each right pick earns points/n, each wrong pick loses points/n (n = number of
  correct choices); the total never goes below 0.
- ordering: points × (items in their correct place / items).
- matching: points × (correct pairs / pairs).
- open: marked by the teacher (no automatic score).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection

from .models import Answer, Attempt, Question

TWO_PLACES = Decimal("0.01")
_SPACES = re.compile(r"\s+", re.UNICODE)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class Grade:
    score: Decimal | None  # None: waits for the teacher
    is_correct: bool | None


def normalise_text(value: str) -> str:
    """Unicode NFKC, case-folded, every kind of white space removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or "").casefold())


def parse_number(raw, unit: str = "") -> Decimal | None:
    """A number typed by a pupil: '1,200', '0.5', '0,5', '120 times', '−3'. None if not one."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float | Decimal):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace("\u2212", "-")
    if unit:
        norm_unit = unicodedata.normalize("NFKC", unit).strip()
        if norm_unit and text.casefold().endswith(norm_unit.casefold()):
            text = text[: -len(norm_unit)].strip()
    text = _SPACES.sub("", text)
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _points(question: Question, share: Decimal) -> Decimal:
    share = min(max(share, Decimal(0)), Decimal(1))
    return (Decimal(question.points) * share).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _all_or_nothing(question: Question, correct: bool) -> Grade:
    return Grade(Decimal(question.points) if correct else Decimal(0), correct)


def grade(question: Question, response: dict | None, choices: list | None = None) -> Grade:
    """Grade one stored (server-side) response. `choices` saves a query when prefetched."""
    response = response or {}
    kind = question.kind
    if kind == Question.Kind.OPEN:
        return Grade(None, None)
    if choices is None:
        choices = list(question.choices.all())
    if kind == Question.Kind.SINGLE:
        # A retired choice (reworded after the answer was given) counts as it was then.
        chosen = response.get("choice")
        correct = {c.pk for c in choices if c.is_correct}
        return _all_or_nothing(question, chosen is not None and chosen in correct)
    if kind == Question.Kind.MULTIPLE:
        return _grade_multiple(question, response, choices)
    if kind == Question.Kind.TRUE_FALSE:
        value = response.get("value")
        return _all_or_nothing(
            question,
            isinstance(value, bool)
            and question.answer_bool is not None
            and value == question.answer_bool,
        )
    if kind == Question.Kind.SHORT_TEXT:
        given = normalise_text(response.get("text") or "")
        accepted = {normalise_text(a) for a in question.accepted_in_any_language()}
        return _all_or_nothing(question, bool(given) and given in accepted)
    if kind == Question.Kind.NUMERIC:
        value = parse_number(response.get("value"), question.unit)
        if value is None or question.numeric_answer is None:
            return _all_or_nothing(question, False)
        tolerance = abs(question.numeric_tolerance or Decimal(0))
        return _all_or_nothing(question, abs(value - question.numeric_answer) <= tolerance)
    if kind == Question.Kind.ORDERING:
        order = response.get("order") or []
        expected = [c.pk for c in choices if not c.retired]
        if not expected:
            return Grade(Decimal(0), False)
        right = sum(1 for i, pk in enumerate(expected) if i < len(order) and order[i] == pk)
        return Grade(_points(question, Decimal(right) / len(expected)), right == len(expected))
    if kind == Question.Kind.MATCHING:
        pairs = response.get("pairs") or {}
        choices = [c for c in choices if not c.retired]
        if not choices:
            return Grade(Decimal(0), False)
        right = sum(1 for c in choices if pairs.get(str(c.pk)) == c.pk)
        return Grade(_points(question, Decimal(right) / len(choices)), right == len(choices))
    return Grade(Decimal(0), False)


@dataclass(frozen=True)
class Parts:
    """How much of a many-part answer was right, for feedback in words: right picks, pairs or
    places out of `total`, and (choose all that apply) `wrong` picks."""

    kind: str
    right: int
    total: int
    wrong: int = 0


def parts(question: Question, response: dict | None, choices: list) -> Parts | None:
    """The parts of a multiple-choice, ordering or matching answer that were right; None for
    other kinds. Counts only: which part was right stays with the key."""
    response = response or {}
    live = [c for c in choices if not c.retired]
    if question.kind == Question.Kind.MULTIPLE:
        picked = set(response.get("choices") or [])
        correct = {c.pk for c in choices if c.is_correct}
        known = {c.pk for c in choices}
        return Parts(
            kind=question.kind,
            right=len(picked & correct),
            total=sum(1 for c in live if c.is_correct),
            wrong=len((picked & known) - correct),
        )
    if question.kind == Question.Kind.ORDERING:
        order = response.get("order") or []
        right = sum(1 for i, c in enumerate(live) if i < len(order) and order[i] == c.pk)
        return Parts(kind=question.kind, right=right, total=len(live))
    if question.kind == Question.Kind.MATCHING:
        pairs = response.get("pairs") or {}
        right = sum(1 for c in live if pairs.get(str(c.pk)) == c.pk)
        return Parts(kind=question.kind, right=right, total=len(live))
    return None


def _grade_multiple(question: Question, response: dict, choices: list) -> Grade:
    picked = set(response.get("choices") or [])
    correct = {c.pk for c in choices if c.is_correct}  # retired ones count as they were
    expected = {c.pk for c in choices if c.is_correct and not c.retired}
    if not expected:
        return Grade(Decimal(0), False)
    known = {c.pk for c in choices}
    right = len(picked & correct)
    wrong = len((picked & known) - correct)
    share = Decimal(right - wrong) / len(expected)
    return Grade(_points(question, share), right == len(expected) and not wrong)


# --- Attempts in bulk ----------------------------------------------------------------------


def answer_scores_write(answers: list[Answer]) -> None:
    """Store new scores. PostgreSQL: one UPDATE … FROM (VALUES …), however many answers
    changed. Elsewhere: one plain UPDATE per distinct (score, correct) pair. Either is far
    cheaper than bulk_update's CASE per row."""
    if not answers:
        return

    if connection.vendor == "postgresql":
        rows = ", ".join(["(%s::bigint, %s::numeric, %s::boolean)"] * len(answers))
        params = [v for a in answers for v in (a.pk, a.score, a.is_correct)]
        with connection.cursor() as cursor:
            cursor.execute(SCORES_SQL.format(rows=rows), params)
        return
    groups: dict[tuple, list[int]] = {}
    for answer in answers:
        groups.setdefault((answer.score, answer.is_correct), []).append(answer.pk)
    for (score, is_correct), ids in groups.items():
        Answer.objects.filter(pk__in=ids).update(score=score, is_correct=is_correct)


# The table is the model's (quizzes_answer).
SCORES_SQL = """
    UPDATE "quizzes_answer" SET score = v.score, is_correct = v.is_correct
    FROM (VALUES {rows}) AS v (id, score, is_correct)
    WHERE "quizzes_answer".id = v.id
"""


def attempts_grade(
    attempts: list[Attempt], *, questions=None, answers: list[Answer] | None = None
) -> list[Attempt]:
    """(Re)grade the automatic answers of `attempts` of one quiz and total them, in bulk.

    Teacher marks (open responses, paper marks) are kept. Returns the attempts whose totals
    changed; answers whose score changed are saved here, attempts by the caller. `questions`:
    the quiz's questions with their choices, and `answers`, every answer of the attempts, when
    the caller has them (else they are read).
    """
    if not attempts:
        return []
    if questions is None:
        questions = Question.objects.filter(
            quiz_id=attempts[0].quiz_id, retired=False
        ).prefetch_related("choices")
    questions = {q.pk: q for q in questions}
    max_score = Decimal(sum(q.points for q in questions.values()))
    by_attempt: dict[int, list[Answer]] = {a.pk: [] for a in attempts}
    changed_answers = []
    if answers is None:
        answers = Answer.objects.filter(attempt__in=[a.pk for a in attempts])
    for answer in answers:
        question = questions.get(answer.question_id)
        by_attempt[answer.attempt_id].append(answer)
        if question is None or not question.is_auto_graded or answer.response.get("paper"):
            continue
        result = grade(question, answer.response, list(question.choices.all()))
        if (answer.score, answer.is_correct) != (result.score, result.is_correct):
            answer.score, answer.is_correct = result.score, result.is_correct
            changed_answers.append(answer)
    answer_scores_write(changed_answers)
    ordered = sorted(questions.values(), key=lambda q: (q.sort_order or 0, q.pk))
    for attempt in attempts:  # what was just graded, so showing the result needs no re-read
        attempt.graded_rows = (ordered, by_attempt[attempt.pk])
    changed = []
    for attempt in attempts:
        answers = by_attempt[attempt.pk]
        score = sum((a.score for a in answers if a.score is not None), Decimal(0))
        needs_marking = any(
            a.score is None
            and a.response
            and questions.get(a.question_id) is not None
            and not questions[a.question_id].is_auto_graded
            for a in answers
        )
        new = (score.quantize(TWO_PLACES), max_score.quantize(TWO_PLACES), needs_marking)
        if (attempt.score, attempt.max_score, attempt.needs_marking) != new:
            attempt.score, attempt.max_score, attempt.needs_marking = new
            changed.append(attempt)
    return changed
