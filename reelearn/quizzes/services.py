"""Quiz workflows: start, save, submit, close, mark, regrade, paper marks. HTML and API share them.

Every write to an attempt first locks its row (SELECT … FOR UPDATE), so a save can never land
after a submit, and 50 parallel submits grade and close the attempt exactly once. Starting is
race-free through the partial unique constraint "one open attempt per pupil and quiz".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reelearn.classroom.models import Assignment, AssignmentPupil
from reelearn.core.text import text_problem

from .cache import quiz_questions
from .models import MAX_TEXT_ANSWER, Answer, Attempt, FeedbackTiming, Question, Quiz
from .policy import policy_resolve
from .scoring import TWO_PLACES, grade

SWEEP_BATCH = 200


class QuizError(Exception):
    """A request the quiz cannot honour; `code` names it in API bodies."""

    code = "quiz_error"

    def __init__(self, message: str, *, attempt: Attempt | None = None):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


class NotAvailable(QuizError):
    code = "not_available"


class NoAttemptsLeft(QuizError):
    code = "no_attempts_left"


class AttemptClosed(QuizError):
    code = "already_submitted"


class TimeUp(QuizError):
    code = "time_up"


@dataclass(frozen=True)
class SaveResult:
    question_id: int
    applied: bool  # False: an answer with a newer revision is already stored, or it is locked
    locked: bool
    answer: Answer | None


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    submitted_now: bool
    timed_out: bool


def _now_ms(now) -> int:
    return int(now.timestamp() * 1000)


def _lock(attempt_id: int, *, pupil=None) -> Attempt:
    """The attempt, row-locked, with its quiz and assignment (a pupil's own: else DoesNotExist)."""
    attempts = Attempt.objects.select_for_update(of=("self",)).select_related(
        "quiz", "assignment_pupil__assignment")
    if pupil is not None:
        attempts = attempts.filter(pupil=pupil)
    return attempts.get(pk=attempt_id)


# --- Starting -------------------------------------------------------------------------------


def link_covers_quiz(link: AssignmentPupil, quiz: Quiz) -> bool:
    """An assignment covers the quizzes in its page's subtree, and a lesson's module-tier quiz
    when the lesson has none of its own (the same rule as selectors.quizzes_for_pages).

    `link` and `quiz` may carry `page_path` (annotated); else their pages are read.
    """
    from .selectors import STEP

    page_path = getattr(link, "page_path", None) or link.assignment.page.path
    quiz_path = getattr(quiz, "page_path", None) or quiz.page.path
    if quiz_path.startswith(page_path):
        return True
    return (quiz_path == page_path[:-STEP]
            and not Quiz.objects.live().filter(page__path=page_path).exists())


def _assigned_link(*, pupil, quiz: Quiz, now) -> AssignmentPupil | None:
    """The open assignment a quiz is taken under when none is named (soonest due first).

    A quiz the pupil has been assigned is always taken under that assignment, with its
    settings: a "practice" attempt would otherwise show an answer key the teacher keeps back
    until the due date. Assigned but not open yet → NotAvailable; not assigned → None.
    """
    from .selectors import pupil_links_for_quiz

    assigned = pupil_links_for_quiz(pupil=pupil, quiz=quiz, now=now, upcoming=True)
    if not assigned:
        return None
    link = next((c for c in assigned if c.assignment.open_at <= now), None)
    if link is None:
        raise NotAvailable(_("This quiz opens on %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(assigned[0].assignment.open_at), "DATE_FORMAT")})
    return link


def attempt_start(*, quiz: Quiz, pupil, link: AssignmentPupil | None = None,
                  now=None) -> tuple[Attempt, bool]:
    """Start an attempt, or resume the pupil's open one. Returns (attempt, created)."""
    now = now or timezone.now()
    if not pupil.is_pupil:
        raise PermissionDenied(_("Only pupils take quizzes."))
    if not quiz.live:
        raise NotAvailable(_("This quiz is not published."))
    if link is None:
        link = _assigned_link(pupil=pupil, quiz=quiz, now=now)
        if link is None:
            from .permissions import can_practise_quiz

            if not can_practise_quiz(pupil, quiz, now=now):
                raise NotAvailable(_("This quiz is taken when your teacher sets it. It is "
                                     "not open for practice."))
    elif (link.pupil_id != pupil.pk or link.assignment.status != Assignment.Status.ASSIGNED
            or link.assignment.open_at > now or not link_covers_quiz(link, quiz)):
        raise NotAvailable(_("This quiz is not part of that assignment."))
    previous = list(Attempt.objects.filter(pupil=pupil, quiz=quiz).only(
        "pk", "quiz_id", "pupil_id", "assignment_pupil_id", "number", "status", "deadline_at"))
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
            attempt = Attempt.objects.create(
                quiz=quiz, pupil=pupil, assignment_pupil=link, number=last_number + 1,
                seed=secrets.randbelow(2**31), started_at=now,
                deadline_at=now + limit if limit else None,
                max_score=sum(q.points for q in quiz_questions(quiz)))
            if link is not None:
                from reelearn.classroom.services import assignment_pupil_start

                assignment_pupil_start(link=link)
    except IntegrityError:
        # A parallel request started one first: resume it.
        existing = Attempt.objects.in_progress().filter(pupil=pupil, quiz=quiz).first()
        if existing is None:
            raise NotAvailable(_("Please try again.")) from None
        return existing, False
    return attempt, True


# --- Saving ---------------------------------------------------------------------------------


def attempt_answers_save(*, attempt: Attempt, answers: list[tuple[Question, dict]],
                         revision: int | None = None, check: frozenset[int] = frozenset(),
                         now=None) -> list[SaveResult]:
    """Store validated answers (stored shapes) in an open attempt.

    A save whose `revision` is not newer than the stored one changes nothing (stale or repeated
    request). `revision=None` (HTML form) means "newer than anything stored". Questions in
    `check` are graded and locked when the quiz gives feedback at once. Raises AttemptClosed,
    or TimeUp after closing an attempt whose time has run out (its saved answers count).
    """
    expired = False
    with transaction.atomic():
        locked = _lock(attempt.pk)
        now = now or timezone.now()  # after the lock: times follow the order of the writes
        if locked.status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed(_("This attempt has already been submitted."), attempt=locked)
        if locked.is_expired(now):
            _close(locked, now=now, timed_out=True)
            expired = True
        else:
            results = _apply(locked, answers, revision=revision, check=check, now=now)
    if expired:
        raise TimeUp(_("Time was up. The answers saved before then were submitted."),
                     attempt=locked)
    return results


def _apply(attempt: Attempt, answers, *, revision, check, now) -> list[SaveResult]:
    can_check = bool(check) and policy_resolve(
        quiz=attempt.quiz, link=attempt.assignment_pupil,
    ).feedback_timing == FeedbackTiming.IMMEDIATE
    existing = {a.question_id: a for a in
                Answer.objects.filter(attempt=attempt, question_id__in=[q.pk for q, _r in answers])}
    results, to_create, to_update = [], [], []
    for question, stored in answers:
        answer = existing.get(question.pk)
        if answer is not None and answer.checked_at is not None:
            results.append(SaveResult(question.pk, False, True, answer))
            continue
        rev = revision if revision is not None else max(_now_ms(now),
                                                         (answer.revision + 1) if answer else 0)
        if answer is not None and rev <= answer.revision:
            results.append(SaveResult(question.pk, False, False, answer))
            continue
        if answer is None and not stored:
            results.append(SaveResult(question.pk, True, False, None))
            continue
        if answer is None:
            answer = Answer(attempt=attempt, question=question)
            to_create.append(answer)
        else:
            to_update.append(answer)
        answer.response, answer.revision, answer.saved_at = stored, rev, now
        if can_check and question.pk in check and stored and question.is_auto_graded:
            result = grade(question, stored)
            answer.score, answer.is_correct, answer.checked_at = (result.score, result.is_correct,
                                                                  now)
        results.append(SaveResult(question.pk, True, False, answer))
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


def answer_save(*, pupil, attempt_id: int, question_id: int, response, revision: int,
                check: bool = False, now=None) -> tuple[Attempt, SaveResult]:
    """One autosaved answer from a pupil, in client shape (see answer_shapes.py).

    Everything happens under the attempt's row lock, found through the pupil's own attempts:
    someone else's attempt or a question of another quiz raise DoesNotExist (→ 404), a bad
    shape ValidationError, a closed attempt AttemptClosed, an expired one TimeUp. The usual
    autosave takes the short way (_answer_save_fast); anything else comes here.
    """
    from .answer_shapes import response_from_client
    from .cache import quiz_question

    if not check:
        saved = _answer_save_fast(pupil=pupil, attempt_id=attempt_id, question_id=question_id,
                                  response=response, revision=revision, now=now)
        if saved is not None:
            return saved
    expired = False
    with transaction.atomic():
        attempt = (Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
                   .only("pk", "quiz_id", "pupil_id", "assignment_pupil_id", "seed", "status",
                         "deadline_at", "timed_out", "quiz__updated_at")
                   .get(pk=attempt_id, pupil=pupil))
        now = now or timezone.now()
        if attempt.status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed(_("This attempt has already been submitted."), attempt=attempt)
        if attempt.is_expired(now):
            attempt = _lock(attempt.pk)
            _close(attempt, now=now, timed_out=True)
            expired = True
        else:
            question, choices = quiz_question(attempt.quiz, question_id)
            stored = response_from_client(question, response, seed=attempt.seed,
                                          choices=choices)
            if check:
                attempt = _lock(attempt.pk)  # the settings decide whether checking is allowed
            (result,) = _apply(attempt, [(question, stored)], revision=revision,
                               check=frozenset({question.pk}) if check else frozenset(), now=now)
    if expired:
        raise TimeUp(_("Time was up. The answers saved before then were submitted."),
                     attempt=attempt)
    return attempt, result


def _answer_save_fast(*, pupil, attempt_id: int, question_id: int, response, revision: int,
                      now=None) -> tuple[Attempt, SaveResult] | None:
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
    from django.db import connection

    from . import cache
    from .answer_shapes import response_from_client

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
    params = {
        "question": question.pk, "revision": revision, "attempt": attempt_id,
        "pupil": pupil.pk, "quiz": quiz_id, "seed": seed, "open": Attempt.Status.IN_PROGRESS,
        "response": Answer._meta.get_field("response").get_db_prep_save(stored, connection),
        "now": Answer._meta.get_field("saved_at").get_db_prep_save(now, connection),
        "not_before": Attempt._meta.get_field("deadline_at").get_db_prep_save(
            now - timedelta(seconds=_grace_seconds()), connection),
        "version": Quiz._meta.get_field("updated_at").get_db_prep_save(version, connection),
    }
    with connection.cursor() as cursor:
        cursor.execute(_FAST_SAVE_SQL[connection.vendor], params)
        row = cursor.fetchone()
    if row is None:
        return None
    # Ids, not instances, for the relations: the caller reads the answer's own fields.
    attempt = Attempt(pk=attempt_id, quiz_id=quiz_id, pupil_id=pupil.pk, seed=seed)
    answer = Answer(pk=row[0], attempt_id=attempt_id, question_id=question.pk, response=stored,
                    revision=revision, saved_at=now)
    return attempt, SaveResult(question.pk, True, False, answer)


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
_FAST_SAVE_SQL = {"postgresql": FAST_SAVE_SQL.format(lock="FOR SHARE OF a"),
                  "sqlite": FAST_SAVE_SQL.format(lock="")}


# --- Submitting and closing -----------------------------------------------------------------


def attempt_submit(*, attempt: Attempt, answers: list[tuple[Question, dict]] | None = None,
                   pupil=None, now=None) -> SubmitResult:
    """Save the last answers (if any), grade and close the attempt, once.

    A second call (double click, retry, parallel request) finds the attempt closed and returns
    it with submitted_now=False. If the time limit has passed, the answers sent now are not
    stored; the attempt closes with what was saved before (timed_out=True). With `pupil`, only
    the pupil's own attempt is found (else Attempt.DoesNotExist).
    """
    with transaction.atomic():
        locked = _lock(attempt.pk, pupil=pupil)
        now = now or timezone.now()
        if locked.status != Attempt.Status.IN_PROGRESS:
            return SubmitResult(locked, False, locked.timed_out)
        timed_out = locked.is_expired(now)
        if answers and not timed_out:
            _apply(locked, answers, revision=None, check=frozenset(), now=now)
        _close(locked, now=now, timed_out=timed_out)
    return SubmitResult(locked, True, timed_out)


def attempt_close_expired(*, attempt: Attempt, now=None) -> bool:
    """Close an open attempt whose time is up, with its saved answers. True if it closed it."""
    with transaction.atomic():
        locked = _lock(attempt.pk)
        now = now or timezone.now()
        if locked.status != Attempt.Status.IN_PROGRESS or not locked.is_expired(now):
            return False
        _close(locked, now=now, timed_out=True)
    return True


def attempts_close_expired(*, now=None, limit: int = SWEEP_BATCH) -> int:
    """The periodic sweep: close abandoned attempts past their time limit (bounded batch)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=_grace_seconds())
    ids = list(Attempt.objects.in_progress().filter(deadline_at__lt=cutoff)
               .order_by("deadline_at").values_list("pk", flat=True)[:limit])
    return sum(attempt_close_expired(attempt=Attempt(pk=pk), now=now) for pk in ids)


def _grace_seconds() -> int:
    from django.conf import settings

    return getattr(settings, "QUIZZES_DEADLINE_GRACE_SECONDS", 5)


def _close(attempt: Attempt, *, now, timed_out: bool) -> None:
    """Grade every answer and close the attempt (the caller holds the row lock)."""
    _grade_attempts([attempt], questions=quiz_questions(attempt.quiz))
    attempt.status = Attempt.Status.SUBMITTED
    attempt.timed_out = timed_out
    attempt.submitted_at = min(now, attempt.deadline_at) if timed_out else now
    attempt.graded_at = now
    attempt.save(update_fields=["status", "timed_out", "submitted_at", "graded_at", "score",
                                "max_score", "needs_marking"])
    if attempt.assignment_pupil_id:
        from reelearn.classroom.services import assignment_pupil_turn_in

        assignment_pupil_turn_in(link=attempt.assignment_pupil)


def _answer_scores_write(answers: list[Answer]) -> None:
    """Store new scores. PostgreSQL: one UPDATE … FROM (VALUES …), however many answers
    changed. Elsewhere: one plain UPDATE per distinct (score, correct) pair. Either is far
    cheaper than bulk_update's CASE per row."""
    if not answers:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        rows = ", ".join(["(%s::bigint, %s::numeric, %s::boolean)"] * len(answers))
        params = [v for a in answers for v in (a.pk, a.score, a.is_correct)]
        with connection.cursor() as cursor:
            cursor.execute(_SCORES_SQL.format(rows=rows), params)
        return
    groups: dict[tuple, list[int]] = {}
    for answer in answers:
        groups.setdefault((answer.score, answer.is_correct), []).append(answer.pk)
    for (score, is_correct), ids in groups.items():
        Answer.objects.filter(pk__in=ids).update(score=score, is_correct=is_correct)


# The table is the model's (quizzes_answer).
_SCORES_SQL = """
    UPDATE "quizzes_answer" SET score = v.score, is_correct = v.is_correct
    FROM (VALUES {rows}) AS v (id, score, is_correct)
    WHERE "quizzes_answer".id = v.id
"""


def _grade_attempts(attempts: list[Attempt], *, questions=None) -> list[Attempt]:
    """(Re)grade the automatic answers of `attempts` of one quiz and total them, in bulk.

    Teacher marks (open responses, paper marks) are kept. Returns the attempts whose totals
    changed; answers whose score changed are saved here, attempts by the caller. `questions`:
    the quiz's questions with their choices, when the caller has them (else they are read).
    """
    if not attempts:
        return []
    if questions is None:
        questions = Question.objects.filter(quiz_id=attempts[0].quiz_id).prefetch_related(
            "choices")
    questions = {q.pk: q for q in questions}
    max_score = Decimal(sum(q.points for q in questions.values()))
    by_attempt: dict[int, list[Answer]] = {a.pk: [] for a in attempts}
    changed_answers = []
    for answer in Answer.objects.filter(attempt__in=[a.pk for a in attempts]):
        question = questions.get(answer.question_id)
        by_attempt[answer.attempt_id].append(answer)
        if question is None or not question.is_auto_graded or answer.response.get("paper"):
            continue
        result = grade(question, answer.response, list(question.choices.all()))
        if (answer.score, answer.is_correct) != (result.score, result.is_correct):
            answer.score, answer.is_correct = result.score, result.is_correct
            changed_answers.append(answer)
    _answer_scores_write(changed_answers)
    ordered = sorted(questions.values(), key=lambda q: (q.sort_order or 0, q.pk))
    for attempt in attempts:  # what was just graded, so showing the result needs no re-read
        attempt.graded_rows = (ordered, by_attempt[attempt.pk])
    changed = []
    for attempt in attempts:
        answers = by_attempt[attempt.pk]
        score = sum((a.score for a in answers if a.score is not None), Decimal(0))
        needs_marking = any(
            a.score is None and a.response and questions.get(a.question_id) is not None
            and not questions[a.question_id].is_auto_graded for a in answers)
        new = (score.quantize(TWO_PLACES), max_score.quantize(TWO_PLACES), needs_marking)
        if (attempt.score, attempt.max_score, attempt.needs_marking) != new:
            attempt.score, attempt.max_score, attempt.needs_marking = new
            changed.append(attempt)
    return changed


# --- Teachers: marking, regrading, paper marks ----------------------------------------------


def _points_value(raw, *, maximum: int, field: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number of points.")]}) from None
    if not value.is_finite() or value < 0 or value > maximum:
        raise ValidationError({field: [_("Enter points from 0 to %(max)s.") % {"max": maximum}]})
    if value != value.quantize(TWO_PLACES):
        raise ValidationError({field: [_("Use at most two decimal places.")]})
    return value.quantize(TWO_PLACES)


def answer_mark(*, answer: Answer, teacher, score, comment: str = "", now=None) -> Answer:
    """A teacher marks an open response (points and a comment); the attempt total follows."""
    now = now or timezone.now()
    question = answer.question
    if question.is_auto_graded:
        raise ValidationError({"score": [_("Only open responses are marked by hand.")]})
    value = _points_value(score, maximum=question.points, field="score")
    if value is None:
        raise ValidationError({"score": [_("Enter a number of points.")]})
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT_ANSWER:
        raise ValidationError({"comment": [_("A comment can be at most 5,000 characters.")]})
    if problem := text_problem(comment):
        raise ValidationError({"comment": [problem]})
    with transaction.atomic():
        attempt = _lock(answer.attempt_id)
        if attempt.status != Attempt.Status.SUBMITTED:
            raise ValidationError({"score": [_("This attempt has not been submitted yet.")]})
        Answer.objects.filter(pk=answer.pk).update(
            score=value, is_correct=value == question.points, comment=comment,
            marked_by=teacher, marked_at=now)
        answer.refresh_from_db()
        for changed in _grade_attempts([attempt]):
            changed.save(update_fields=["score", "max_score", "needs_marking"])
    return answer


def quiz_regrade(*, quiz: Quiz, attempts=None) -> int:
    """Recompute automatic scores after a question was corrected. Returns attempts changed.

    Idempotent: a second run finds nothing to change. `attempts` narrows it (a teacher's class).
    """
    queryset = attempts if attempts is not None else Attempt.objects.filter(quiz=quiz)
    ids = list(queryset.filter(quiz=quiz, status=Attempt.Status.SUBMITTED)
               .order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), SWEEP_BATCH):
        with transaction.atomic():
            batch = list(Attempt.objects.select_for_update()
                         .filter(pk__in=ids[start:start + SWEEP_BATCH]).order_by("pk"))
            updated = _grade_attempts(batch)
            Attempt.objects.bulk_update(updated, ["score", "max_score", "needs_marking"])
            changed += len(updated)
    return changed


def paper_marks_save(*, assignment: Assignment, quiz: Quiz, teacher,
                     marks: dict[int, dict[int, object]], now=None) -> int:
    """Marks typed from paper sheets: {link id: {question id: points or blank}}.

    Each pupil with at least one mark gets one submitted "paper" attempt for this quiz and
    assignment (created once, then updated); clearing a whole row removes it. Validates
    everything before writing anything. Returns the number of pupils with paper marks.
    """
    now = now or timezone.now()
    questions = {q.pk: q for q in quiz.questions.all()}
    links = {link.pk: link for link in AssignmentPupil.objects.filter(assignment=assignment)}
    errors: dict[str, list[str]] = {}
    clean: dict[int, dict[int, Decimal | None]] = {}
    for link_id, row in marks.items():
        if link_id not in links:
            raise ValidationError({"marks": [_("A pupil in these marks is not in the "
                                               "assignment.")]})
        for question_id, raw in row.items():
            if question_id not in questions:
                raise ValidationError({"marks": [_("A question in these marks is not in the "
                                                   "quiz.")]})
            field = f"mark-{link_id}-{question_id}"
            try:
                clean.setdefault(link_id, {})[question_id] = _points_value(
                    raw, maximum=questions[question_id].points, field=field)
            except ValidationError as error:
                errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _paper_marks_write(quiz=quiz, links=links, clean=clean, teacher=teacher, now=now,
                                  questions=questions)


def _paper_marks_write(*, quiz, links, clean, teacher, now, questions) -> int:
    from reelearn.classroom.services import assignment_pupil_turn_in

    paper = {a.assignment_pupil_id: a for a in Attempt.objects.select_for_update().filter(
        quiz=quiz, assignment_pupil_id__in=list(clean), source=Attempt.Source.PAPER)}
    numbers = dict(Attempt.objects.filter(quiz=quiz, assignment_pupil_id__in=list(clean))
                   .values_list("assignment_pupil_id").annotate(n=Max("number")))
    count, touched = 0, []
    for link_id, row in clean.items():
        values = {qid: v for qid, v in row.items() if v is not None}
        attempt = paper.get(link_id)
        if not values:
            if attempt is not None:
                attempt.delete()
            continue
        count += 1
        if attempt is None:
            link = links[link_id]
            attempt = Attempt.objects.create(
                quiz=quiz, pupil_id=link.pupil_id, assignment_pupil=link,
                number=(numbers.get(link_id) or 0) + 1, status=Attempt.Status.SUBMITTED,
                source=Attempt.Source.PAPER, started_at=now, submitted_at=now, graded_at=now)
            assignment_pupil_turn_in(link=link)
        Answer.objects.filter(attempt=attempt).exclude(question_id__in=list(values)).delete()
        Answer.objects.bulk_create(
            [Answer(attempt=attempt, question_id=qid, response={"paper": True}, score=value,
                    is_correct=value == questions[qid].points, marked_by=teacher, marked_at=now,
                    saved_at=now) for qid, value in values.items()],
            update_conflicts=True, unique_fields=["attempt", "question"],
            update_fields=["score", "is_correct", "marked_by", "marked_at", "saved_at"])
        touched.append(attempt)
    for attempt in _grade_attempts(touched):
        attempt.save(update_fields=["score", "max_score", "needs_marking"])
    return count
