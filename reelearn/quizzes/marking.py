"""What teachers do to scores: mark an open answer, regrade a quiz after a correction, type the
marks of a paper sheet. Every change of score goes through `scoring.attempts_grade`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reelearn.classroom.models import Assignment, AssignmentPupil
from reelearn.core.text import text_problem

from .attempts import SWEEP_BATCH, attempt_lock
from .models import MAX_TEXT_ANSWER, Answer, Attempt, Quiz
from .scoring import TWO_PLACES, attempts_grade


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
        attempt = attempt_lock(answer.attempt_id)
        if attempt.status != Attempt.Status.SUBMITTED:
            raise ValidationError({"score": [_("This attempt has not been submitted yet.")]})
        Answer.objects.filter(pk=answer.pk).update(
            score=value,
            is_correct=value == question.points,
            comment=comment,
            marked_by=teacher,
            marked_at=now,
        )
        answer.refresh_from_db()
        for changed in attempts_grade([attempt]):
            changed.save(update_fields=["score", "max_score", "needs_marking"])
    return answer


def quiz_regrade(*, quiz: Quiz, attempts=None) -> int:
    """Recompute automatic scores after a question was corrected. Returns attempts changed.

    Idempotent: a second run finds nothing to change. `attempts` narrows it (a teacher's class).
    """
    queryset = attempts if attempts is not None else Attempt.objects.filter(quiz=quiz)
    ids = list(
        queryset.filter(quiz=quiz, status=Attempt.Status.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = 0
    for start in range(0, len(ids), SWEEP_BATCH):
        with transaction.atomic():
            batch = list(
                Attempt.objects.select_for_update()
                .filter(pk__in=ids[start : start + SWEEP_BATCH])
                .order_by("pk")
            )
            updated = attempts_grade(batch)
            Attempt.objects.bulk_update(updated, ["score", "max_score", "needs_marking"])
            changed += len(updated)
    return changed


def paper_marks_save(
    *, assignment: Assignment, quiz: Quiz, teacher, marks: dict[int, dict[int, object]], now=None
) -> int:
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
            raise ValidationError(
                {"marks": [_("A pupil in these marks is not in the assignment.")]}
            )
        for question_id, raw in row.items():
            if question_id not in questions:
                raise ValidationError(
                    {"marks": [_("A question in these marks is not in the quiz.")]}
                )
            field = f"mark-{link_id}-{question_id}"
            try:
                clean.setdefault(link_id, {})[question_id] = _points_value(
                    raw, maximum=questions[question_id].points, field=field
                )
            except ValidationError as error:
                errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _paper_marks_write(
            quiz=quiz, links=links, clean=clean, teacher=teacher, now=now, questions=questions
        )


def _paper_marks_write(*, quiz, links, clean, teacher, now, questions) -> int:
    from reelearn.classroom.services import assignment_pupil_turn_in

    paper = {
        a.assignment_pupil_id: a
        for a in Attempt.objects.select_for_update().filter(
            quiz=quiz, assignment_pupil_id__in=list(clean), source=Attempt.Source.PAPER
        )
    }
    numbers = dict(
        Attempt.objects.filter(quiz=quiz, assignment_pupil_id__in=list(clean))
        .values_list("assignment_pupil_id")
        .annotate(n=Max("number"))
    )
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
                quiz=quiz,
                pupil_id=link.pupil_id,
                assignment_pupil=link,
                number=(numbers.get(link_id) or 0) + 1,
                status=Attempt.Status.SUBMITTED,
                source=Attempt.Source.PAPER,
                started_at=now,
                submitted_at=now,
                graded_at=now,
            )
            assignment_pupil_turn_in(link=link)
        Answer.objects.filter(attempt=attempt).exclude(question_id__in=list(values)).delete()
        Answer.objects.bulk_create(
            [
                Answer(
                    attempt=attempt,
                    question_id=qid,
                    response={"paper": True},
                    score=value,
                    is_correct=value == questions[qid].points,
                    marked_by=teacher,
                    marked_at=now,
                    saved_at=now,
                )
                for qid, value in values.items()
            ],
            update_conflicts=True,
            unique_fields=["attempt", "question"],
            update_fields=["score", "is_correct", "marked_by", "marked_at", "saved_at"],
        )
        touched.append(attempt)
    for attempt in attempts_grade(touched):
        attempt.save(update_fields=["score", "max_score", "needs_marking"])
    return count
