"""What pupils taking a quiz read again and again, kept in each process.

Questions and choices
---------------------

Every autosave validates one answer against its question and choices (kinds, per-attempt
choice tokens), and starting or submitting shows or grades them all; reading them costs two
queries, more than an autosave itself. They are kept per quiz *version*: the key holds the
quiz's `updated_at`, which changes whenever the quiz is saved or published (the Wagtail admin
and curriculum.quiz_load save the quiz with its questions), so another process's edit is seen
at the next request. Saving or deleting a question or choice in this process clears the cache
at once (signals). Teachers' regrading and marking always read the rows.

The cached instances are shared between requests and threads: read them, never change them.

Attempts
--------
An attempt's quiz and seed never change, so `attempt_key` keeps them (up to 4,096 attempts,
then it starts again), and notes the quiz version it read; starting an attempt notes them
first (`attempt_key_seen`), so a pupil's autosaves that reach the process that started the
attempt never read them. The autosave's single statement re-checks the
attempt's owner, quiz, seed and state and the quiz's version, so nothing kept here can let a
wrong or stale save through: at worst the save takes the careful path.
"""

from __future__ import annotations

from functools import lru_cache

from . import rows
from .models import Question

_versions: dict[int, object] = {}  # quiz id → the latest `updated_at` this process has read


@lru_cache(maxsize=256)
def _questions(quiz_id: int, version) -> tuple[tuple[Question, ...], dict]:
    questions = tuple(
        Question.objects.filter(quiz_id=quiz_id, retired=False).prefetch_related("choices")
    )
    return questions, {q.pk: (q, tuple(q.choices.all())) for q in questions}


def question_in(quiz_id: int, version, question_id: int) -> tuple[Question, tuple]:
    """(question, its choices) in that version of the quiz; Question.DoesNotExist if not in it."""
    try:
        return _questions(quiz_id, version)[1][question_id]
    except KeyError:
        raise Question.DoesNotExist from None


def quiz_questions(quiz) -> tuple[Question, ...]:
    """The questions of `quiz` (with `updated_at` loaded) in order, choices prefetched."""
    return _questions(quiz.pk, quiz.updated_at)[0]


def quiz_question(quiz, question_id: int) -> tuple[Question, tuple]:
    """(question, its choices) of `quiz`; Question.DoesNotExist if it is not in the quiz."""
    quiz_version_seen(quiz.pk, quiz.updated_at)
    return question_in(quiz.pk, quiz.updated_at, question_id)


_attempts: dict[tuple[int, int], tuple[int, int]] = {}  # (attempt, pupil) → (quiz, seed)
_ATTEMPTS_MAX = 4096


def attempt_key(attempt_id: int, pupil_id: int) -> tuple[int, int]:
    """(quiz id, seed) of the pupil's own attempt; Attempt.DoesNotExist if it is not theirs."""
    found = _attempts.get((attempt_id, pupil_id))
    if found is None:
        quiz_id, seed, version = rows.attempt_key(attempt_id, pupil_id)
        quiz_version_seen(quiz_id, version)
        found = attempt_key_seen(attempt_id, pupil_id, quiz_id=quiz_id, seed=seed)
    return found


def attempt_key_seen(attempt_id: int, pupil_id: int, *, quiz_id: int, seed: int) -> tuple:
    """Note the quiz and seed of a pupil's attempt (read or just created by this process)."""
    if len(_attempts) >= _ATTEMPTS_MAX:
        _attempts.clear()
    found = _attempts[(attempt_id, pupil_id)] = (quiz_id, seed)
    return found


def quiz_version(quiz_id: int):
    return _versions.get(quiz_id)


def quiz_version_seen(quiz_id: int, version) -> None:
    _versions[quiz_id] = version


def clear() -> None:
    _questions.cache_clear()
