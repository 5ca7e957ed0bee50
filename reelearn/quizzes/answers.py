"""Writing pupils' answers into an open attempt: the careful way (`answers_write`, under the
attempt's row lock, for forms, submits, checks and batches) and the usual autosave's short way
(`answer_save_fast`, one SQL statement). Both keep the same rules (`save_applies`): an answer
is written only over an older revision of an answer that is not locked, in an attempt that is
open and within its time; the property test in tests/quizzes/test_answer_paths.py holds them
to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from . import cache
from .answer_shapes import response_from_client
from .models import Answer, Attempt, FeedbackTiming, Question, Quiz, deadline_grace_seconds
from .policy import policy_resolve
from .scoring import grade


@dataclass(frozen=True)
class SavedAnswer:
    """What the short way knows of the answer it wrote: it builds no Answer (that cost more
    than its statement's Python)."""

    revision: int
    saved_at: datetime
    checked_at: None = None


@dataclass(frozen=True)
class SaveResult:
    question_id: int
    applied: bool  # False: an answer with the same or a newer revision is stored, or it is locked
    locked: bool
    answer: Answer | SavedAnswer | None
    error: ValidationError | None = None  # refused: not a question of the quiz, or a bad shape

    @property
    def outcome(self) -> str:
        """saved | stale (the same or a newer revision is stored) | locked | invalid."""
        if self.error is not None:
            return "invalid"
        if self.applied:
            return "saved"
        return "locked" if self.locked else "stale"


def _now_ms(now) -> int:
    return int(now.timestamp() * 1000)


def save_applies(answer: Answer | None, revision: int) -> bool:
    """The rule every path keeps (FAST_SAVE_SQL says it in SQL): a save is written over the
    stored answer only when it is newer and that answer is not locked (checked)."""
    return answer is None or (answer.checked_at is None and revision > answer.revision)


def answers_write(attempt: Attempt, answers, *, check, now) -> list[SaveResult]:
    """Write `answers`, (question, stored answer, revision) items, into `attempt` (open, its
    row locked by the caller), in order and as if each came alone: an item is written over an
    older revision only (`save_applies`), so a question sent twice keeps the later of the two
    newer ones. A revision of None (a form, a submit) means newer than anything stored.
    Questions in `check` are graded and locked when the quiz gives feedback at once. One read
    of the stored answers, then one insert and one update at most."""
    can_check = (
        bool(check)
        and policy_resolve(
            quiz=attempt.quiz,
            link=attempt.assignment_pupil,
        ).feedback_timing
        == FeedbackTiming.IMMEDIATE
    )
    existing = {
        a.question_id: a
        for a in Answer.objects.filter(
            attempt=attempt, question_id__in={q.pk for q, _s, _r in answers}
        )
    }
    results, created, written = [], set(), {}
    for question, stored, revision in answers:
        answer = existing.get(question.pk)
        rev = (
            revision
            if revision is not None
            else max(_now_ms(now), (answer.revision + 1) if answer else 0)
        )
        if not save_applies(answer, rev):
            locked = answer.checked_at is not None
            results.append(SaveResult(question.pk, False, locked, answer))
            continue
        if answer is None and not stored:
            results.append(SaveResult(question.pk, True, False, None))
            continue
        if answer is None:
            answer = existing[question.pk] = Answer(attempt=attempt, question=question)
            created.add(question.pk)
        answer.response, answer.revision, answer.saved_at = stored, rev, now
        if can_check and question.pk in check and stored and question.is_auto_graded:
            result = grade(question, stored)
            answer.score, answer.is_correct, answer.checked_at = (
                result.score,
                result.is_correct,
                now,
            )
        written[question.pk] = answer
        results.append(SaveResult(question.pk, True, False, answer))
    to_create = [a for pk, a in written.items() if pk in created]
    to_update = [a for pk, a in written.items() if pk not in created]
    fields = ["response", "revision", "saved_at", "score", "is_correct", "checked_at"]
    if len(to_create) == 1:
        to_create[0].save(force_insert=True)
    elif to_create:
        Answer.objects.bulk_create(to_create)
    if len(to_update) == 1:  # the usual autosave: one plain UPDATE, no CASE expressions
        to_update[0].save(update_fields=fields)
    elif to_update:
        Answer.objects.bulk_update(to_update, fields)
    return results


def answer_save_fast(
    *, pupil, attempt_id: int, question_id: int, response, revision: int, now=None
) -> SaveResult | None:
    """The usual autosave (an answer, newer than the stored one) as one statement.

    The attempt's quiz and seed, and the quiz's questions, come from this process's cache
    (reelearn.quizzes.cache). One INSERT … SELECT … ON CONFLICT DO UPDATE (FAST_SAVE_SQL) then
    writes the answer only if, at that moment, the attempt is the pupil's, open, within its
    time, still of the quiz and seed cached, and its quiz still the version the answer was
    checked against (a shared row lock on the attempt: it waits for a submit in progress, then
    sees it closed), and only over an older, unlocked answer. It needs no transaction.

    Returns None when anything is off (not cached yet and not found, a bad answer, a cleared
    one, nothing written): answer_save then does it the careful way and says what happened.
    """
    try:
        quiz_id, seed = cache.attempt_key(attempt_id, pupil.pk)
        version = cache.quiz_version(quiz_id)  # once: another thread may note a newer one
        question, choices = cache.question_in(quiz_id, version, question_id)
        stored = response_from_client(question, response, seed=seed, choices=choices)
    except (Attempt.DoesNotExist, Question.DoesNotExist, ValidationError):
        return None
    if not stored:
        return None
    now = now or timezone.now()
    # The wrapper itself, not django.db.connection: every attribute read through that proxy
    # looks the connection up again, and preparing the values reads several.
    connection = connections[DEFAULT_DB_ALIAS]
    params = {
        "question": question.pk,
        "revision": revision,
        "attempt": attempt_id,
        "pupil": pupil.pk,
        "quiz": quiz_id,
        "seed": seed,
        "open": Attempt.Status.IN_PROGRESS,
        "response": Answer._meta.get_field("response").get_db_prep_save(stored, connection),
        "now": Answer._meta.get_field("saved_at").get_db_prep_save(now, connection),
        "not_before": Attempt._meta.get_field("deadline_at").get_db_prep_save(
            now - timedelta(seconds=deadline_grace_seconds()), connection
        ),
        "version": Quiz._meta.get_field("updated_at").get_db_prep_save(version, connection),
    }
    with connection.cursor() as cursor:
        cursor.execute(_FAST_SAVE_SQL[connection.vendor], params)
        row = cursor.fetchone()
    if row is None:
        return None
    return SaveResult(question.pk, True, False, SavedAnswer(revision, now))


# The tables and columns are the models' (quizzes_answer, quizzes_attempt, quizzes_quiz).
FAST_SAVE_SQL = """
    INSERT INTO "quizzes_answer" (attempt_id, question_id, response, revision, saved_at, comment)
    SELECT a.id, %(question)s, %(response)s, %(revision)s, %(now)s, ''
    FROM "quizzes_attempt" a INNER JOIN "quizzes_quiz" q ON q.id = a.quiz_id
    WHERE a.id = %(attempt)s AND a.pupil_id = %(pupil)s AND a.quiz_id = %(quiz)s
      AND a.seed = %(seed)s AND a.status = %(open)s
      AND (a.deadline_at IS NULL OR a.deadline_at >= %(not_before)s)
      AND q.updated_at = %(version)s
    {lock}
    ON CONFLICT (attempt_id, question_id) DO UPDATE
      SET response = EXCLUDED.response, revision = EXCLUDED.revision, saved_at = EXCLUDED.saved_at
      WHERE "quizzes_answer".revision < EXCLUDED.revision
        AND "quizzes_answer".checked_at IS NULL
    RETURNING id
"""


# PostgreSQL: a shared lock on the attempt row, so a submit holding it finishes first.
# SQLite has no row locks: its writes are serialised anyway.
_FAST_SAVE_SQL = {
    "postgresql": FAST_SAVE_SQL.format(lock="FOR SHARE OF a"),
    "sqlite": FAST_SAVE_SQL.format(lock=""),
}
