"""An attempt's life: start (or resume), save answers, submit, close when time is up, and the
periodic sweep. HTML views and the API share these.

Every write to an attempt first locks its row (SELECT … FOR UPDATE), so a save can never land
after a submit, and 50 parallel submits grade and close the attempt exactly once. Starting is
race-free through the partial unique constraint "one open attempt per pupil and quiz"."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reelearn.classroom.models import Assignment, AssignmentPupil
from reelearn.core.db.prepared import row_insert, row_update

from . import rows
from .answer_shapes import response_from_client
from .answers import SaveResult, answer_save_fast, answers_write
from .cache import attempt_key_seen, quiz_question, quiz_questions, quiz_version_seen
from .errors import AttemptClosed, NoAttemptsLeft, NotAvailable, NothingAnswered, TimeUp
from .models import Answer, Attempt, Question, Quiz, deadline_grace_seconds
from .pages import link_covers_quiz, pupil_links_for_quiz
from .permissions import can_practise_quiz
from .policy import policy_resolve
from .scoring import attempts_grade
from .translations import attempt_language

SWEEP_BATCH = 200


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    submitted_now: bool
    timed_out: bool


def attempt_lock(attempt_id: int, *, pupil=None) -> Attempt:
    """The attempt, row-locked, with its quiz and assignment (a pupil's own: else DoesNotExist)."""
    return rows.attempt_locked(attempt_id, pupil_id=pupil.pk if pupil is not None else None)


def _assigned_link(*, pupil, quiz: Quiz, now) -> AssignmentPupil | None:
    """The open assignment a quiz is taken under when none is named (soonest due first).

    A quiz the pupil has been assigned is always taken under that assignment, with its
    settings: a "practice" attempt would otherwise show an answer key the teacher keeps back
    until the due date. Assigned but not open yet → NotAvailable; not assigned → None.
    """
    assigned = pupil_links_for_quiz(pupil=pupil, quiz=quiz, now=now, upcoming=True)
    if not assigned:
        return None
    link = next((c for c in assigned if c.assignment.open_at <= now), None)
    if link is None:
        raise NotAvailable(
            _("This quiz opens on %(date)s.")
            % {
                "date": formats.date_format(
                    timezone.localtime(assigned[0].assignment.open_at), "DATE_FORMAT"
                )
            }
        )
    return link


def attempt_start(
    *, quiz: Quiz, pupil, link: AssignmentPupil | None = None, now=None
) -> tuple[Attempt, bool]:
    """Start an attempt, or resume the pupil's open one. Returns (attempt, created)."""
    now = now or timezone.now()
    if not pupil.is_pupil:
        raise PermissionDenied(_("Only pupils take quizzes."))
    if not quiz.live:
        raise NotAvailable(_("This quiz is not published."))
    if link is None:
        link = _assigned_link(pupil=pupil, quiz=quiz, now=now)
        if link is None and not can_practise_quiz(pupil, quiz, now=now):
            raise NotAvailable(
                _("This quiz is taken when your teacher sets it. It is not open for practice.")
            )
    elif (
        link.pupil_id != pupil.pk
        or link.assignment.status != Assignment.Status.ASSIGNED
        or link.assignment.open_at > now
        or not link_covers_quiz(link, quiz)
    ):
        raise NotAvailable(_("This quiz is not part of that assignment."))
    previous = rows.pupil_quiz_attempts(pupil_id=pupil.pk, quiz_id=quiz.pk)
    existing = next((a for a in previous if a.status == Attempt.Status.IN_PROGRESS), None)
    if existing is not None:
        if not existing.is_expired(now):
            return existing, False
        attempt_close_expired(attempt=existing, now=now)
    policy = policy_resolve(quiz=quiz, link=link)
    link_id = link.pk if link is not None else None
    used = [a.number for a in previous if a.assignment_pupil_id == link_id]
    last_number = max(used, default=0)
    if policy.attempts_left(len(used)) == 0:
        raise NoAttemptsLeft(_("You have used all your attempts at this quiz."))
    limit = policy.time_limit
    try:
        with transaction.atomic():
            attempt = row_insert(
                Attempt(
                    quiz=quiz,
                    pupil=pupil,
                    assignment_pupil=link,
                    number=last_number + 1,
                    seed=secrets.randbelow(2**31),
                    language=attempt_language(
                        quiz, assigned=link.assignment.language if link else None
                    ),
                    started_at=now,
                    deadline_at=now + limit if limit else None,
                    max_score=sum(q.points for q in quiz_questions(quiz)),
                )
            )
            if link is not None and link.status == AssignmentPupil.Status.NOT_STARTED:
                from reelearn.classroom.services import assignment_pupil_start

                assignment_pupil_start(link=link)
    except IntegrityError:
        # A parallel request started one first: resume it.
        existing = Attempt.objects.in_progress().filter(pupil=pupil, quiz=quiz).first()
        if existing is None:
            raise NotAvailable(_("Please try again.")) from None
        return existing, False
    # This process will most likely take the attempt's autosaves: it knows what they check.
    quiz_version_seen(quiz.pk, quiz.updated_at)
    attempt_key_seen(attempt.pk, pupil.pk, quiz_id=quiz.pk, seed=attempt.seed)
    return attempt, True


def attempt_answers_save(
    *,
    attempt: Attempt,
    answers: list[tuple[Question, dict]],
    revision: int | None = None,
    check: frozenset[int] = frozenset(),
    now=None,
) -> list[SaveResult]:
    """Store validated answers (stored shapes) in an open attempt.

    A save whose `revision` is not newer than the stored one changes nothing (stale or repeated
    request). `revision=None` (HTML form) means "newer than anything stored". Questions in
    `check` are graded and locked when the quiz gives feedback at once. Raises AttemptClosed,
    or TimeUp after closing an attempt whose time has run out (its saved answers count).
    """
    expired = False
    with transaction.atomic():
        locked = attempt_lock(attempt.pk)
        now = now or timezone.now()  # after the lock: times follow the order of the writes
        if locked.status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed(_("This attempt has already been submitted."), attempt=locked)
        if locked.is_expired(now):
            attempt_close(locked, now=now, timed_out=True)
            expired = True
        else:
            results = answers_write(
                locked, [(q, stored, revision) for q, stored in answers], check=check, now=now
            )
    if expired:
        raise TimeUp(
            _("Time was up. The answers saved before then were submitted."), attempt=locked
        )
    return results


def answer_save(
    *,
    pupil,
    attempt_id: int,
    question_id: int,
    response,
    revision: int,
    check: bool = False,
    now=None,
) -> SaveResult:
    """One autosaved answer from a pupil, in client shape (see answer_shapes.py).

    The usual autosave takes the short way (answer_save_fast); anything else is `answers_save`
    of one answer. Someone else's attempt or a question of another quiz raise DoesNotExist
    (→ 404), a bad shape ValidationError, a closed attempt AttemptClosed, an expired one TimeUp.
    """
    if not check:
        saved = answer_save_fast(
            pupil=pupil,
            attempt_id=attempt_id,
            question_id=question_id,
            response=response,
            revision=revision,
            now=now,
        )
        if saved is not None:
            return saved
    _attempt, (result,) = answers_save(
        pupil=pupil,
        attempt_id=attempt_id,
        answers=[(question_id, response, revision)],
        check=frozenset({question_id}) if check else frozenset(),
        now=now,
    )
    if isinstance(result.error, NotInQuiz):
        raise Question.DoesNotExist
    if result.error is not None:
        raise result.error
    return result


class NotInQuiz(ValidationError):
    """An answer to a question that is not one of the attempt's quiz's."""


def answers_save(
    *,
    pupil,
    attempt_id: int,
    answers: list[tuple[int, object, int]],
    check: frozenset[int] = frozenset(),
    now=None,
) -> tuple[Attempt, list[SaveResult]]:
    """Answers from a pupil, (question id, response in client shape, revision) each, saved
    under the attempt's row lock, in order and as if each came alone (`answers_write`): the
    careful way of a single autosave, and a batch of answers queued while offline.

    Someone else's attempt raises Attempt.DoesNotExist, a closed one AttemptClosed, an expired
    one TimeUp (after closing it): nothing is saved. An answer to a question not in the quiz or
    of a bad shape is refused alone (its result's `error`); the others are saved. Returns a
    result per answer, in the order given.
    """
    expired = False
    with transaction.atomic():
        attempt = attempt_lock(attempt_id, pupil=pupil)
        now = now or timezone.now()  # after the lock: times follow the order of the writes
        if attempt.status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed(_("This attempt has already been submitted."), attempt=attempt)
        if attempt.is_expired(now):
            attempt_close(attempt, now=now, timed_out=True)
            expired = True
        else:
            results = _answers_save_locked(attempt, answers, check=check, now=now)
    if expired:
        raise TimeUp(
            _("Time was up. The answers saved before then were submitted."), attempt=attempt
        )
    return attempt, results


def _answers_save_locked(attempt: Attempt, answers, *, check, now) -> list[SaveResult]:
    refused, valid = {}, []
    for index, (question_id, response, revision) in enumerate(answers):
        try:
            question, choices = quiz_question(attempt.quiz, question_id)
            stored = response_from_client(question, response, seed=attempt.seed, choices=choices)
        except Question.DoesNotExist:
            error = NotInQuiz({"question": [_("No such question in this quiz.")]})
            refused[index] = SaveResult(question_id, False, False, None, error=error)
        except ValidationError as error:
            refused[index] = SaveResult(question_id, False, False, None, error=error)
        else:
            valid.append((question, stored, revision))
    written = iter(answers_write(attempt, valid, check=check, now=now))
    return [refused[i] if i in refused else next(written) for i in range(len(answers))]


def attempt_submit(
    *,
    attempt: Attempt,
    answers: list[tuple[Question, dict]] | None = None,
    pupil=None,
    now=None,
    blank_ok: bool = True,
) -> SubmitResult:
    """Save the last answers (if any), grade and close the attempt, once.

    A second call (double click, retry, parallel request) finds the attempt closed and returns
    it with submitted_now=False. If the time limit has passed, the answers sent now are not
    stored; the attempt closes with what was saved before (timed_out=True). With `pupil`, only
    the pupil's own attempt is found (else Attempt.DoesNotExist). With `blank_ok=False`, an
    attempt with no answer at all (none sent, none saved) stays open: NothingAnswered.
    """
    with transaction.atomic():
        locked = attempt_lock(attempt.pk, pupil=pupil)
        now = now or timezone.now()
        if locked.status != Attempt.Status.IN_PROGRESS:
            return SubmitResult(locked, False, locked.timed_out)
        timed_out = locked.is_expired(now)
        sent = any(stored for _q, stored in answers or [])
        if not (blank_ok or timed_out or sent) and not (
            Answer.objects.filter(attempt=locked).exclude(response={}).exists()
        ):
            raise NothingAnswered(_("You have not answered any question yet."), attempt=locked)
        if answers and not timed_out:
            answers_write(
                locked, [(q, stored, None) for q, stored in answers], check=frozenset(), now=now
            )
        attempt_close(locked, now=now, timed_out=timed_out)
    return SubmitResult(locked, True, timed_out)


def attempt_close_expired(*, attempt: Attempt, now=None) -> bool:
    """Close an open attempt whose time is up, with its saved answers. True if it closed it."""
    with transaction.atomic():
        locked = attempt_lock(attempt.pk)
        now = now or timezone.now()
        if locked.status != Attempt.Status.IN_PROGRESS or not locked.is_expired(now):
            return False
        attempt_close(locked, now=now, timed_out=True)
    return True


def attempts_close_expired(*, now=None, limit: int = SWEEP_BATCH) -> int:
    """The periodic sweep: close abandoned attempts past their time limit (bounded batch)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=deadline_grace_seconds())
    ids = list(
        Attempt.objects.in_progress()
        .filter(deadline_at__lt=cutoff)
        .order_by("deadline_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(attempt_close_expired(attempt=Attempt(pk=pk), now=now) for pk in ids)


def attempt_close(attempt: Attempt, *, now, timed_out: bool) -> None:
    """Grade every answer and close the attempt (the caller holds the row lock)."""
    attempts_grade(
        [attempt],
        questions=quiz_questions(attempt.quiz),
        answers=rows.attempt_answers(attempt.pk),
    )
    attempt.status = Attempt.Status.SUBMITTED
    attempt.timed_out = timed_out
    attempt.submitted_at = min(now, attempt.deadline_at) if timed_out else now
    attempt.graded_at = now
    row_update(
        attempt,
        [
            "status",
            "timed_out",
            "submitted_at",
            "graded_at",
            "score",
            "max_score",
            "needs_marking",
        ],
    )
    link = attempt.assignment_pupil if attempt.assignment_pupil_id else None
    if link is not None and link.status == AssignmentPupil.Status.NOT_STARTED:
        # The quiz part is done; the assignment is turned in by the pupil (its lessons too).
        from reelearn.classroom.services import assignment_pupil_start

        assignment_pupil_start(link=attempt.assignment_pupil)
