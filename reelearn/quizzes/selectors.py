"""Reads for pupils' quiz pages and other apps, with a fixed number of queries: a pupil's quizzes
and their status, the score that counts, their own attempts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import Attempt, GradingMethod, Quiz
from .pages import quizzes_for_pages
from .policy import policy_resolve
from .visibility import attempt_visibility


def graded_score(attempts: list[Attempt], method: str) -> Decimal | None:
    """The score that counts among submitted attempts, by the grading method."""
    scored = sorted(
        (a for a in attempts if a.status == Attempt.Status.SUBMITTED and a.score is not None),
        key=lambda a: (a.number, a.pk),
    )
    if not scored:
        return None
    if method == GradingMethod.FIRST:
        return scored[0].score
    if method == GradingMethod.LAST:
        return scored[-1].score
    if method == GradingMethod.AVERAGE:
        return (sum(a.score for a in scored) / len(scored)).quantize(Decimal("0.01"))
    return max(a.score for a in scored)


def percent(score, maximum) -> int | None:
    if score is None or not maximum:
        return None
    return round(Decimal(score) * 100 / Decimal(maximum))


@dataclass(frozen=True)
class QuizStatus:
    quiz_id: int
    title: str
    status: str  # "not_started" | "in_progress" | "submitted"
    status_label: str
    score: Decimal | None  # the graded score, only when the pupil may see it
    max_score: Decimal
    percent: int | None
    needs_marking: bool
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    late: bool
    url: str


STATUS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "submitted": _("Submitted"),
}


def quiz_pupil_url(quiz_id: int, link_id: int | None = None) -> str:
    url = reverse("quizzes:quiz", args=[quiz_id])
    return f"{url}?link={link_id}" if link_id else url


def quizzes_for_pupil_assignments(*, pupil, links) -> dict[int, list[QuizStatus]]:
    """For each of the pupil's AssignmentPupil rows: its quizzes with status and visible score.

    Queries: the links' pages, the quizzes (with their point totals), the pupil's attempts.
    """
    links = [link for link in links if link.pupil_id == pupil.pk]
    if not links:
        return {}
    pages = Page.objects.filter(pk__in={link.assignment.page_id for link in links}).only(
        "path", "depth"
    )
    covered = quizzes_for_pages(list(pages))
    quiz_ids = {q.pk for quizzes in covered.values() for q in quizzes}
    attempts: dict[tuple[int, int], list[Attempt]] = {}
    for attempt in Attempt.objects.filter(
        pupil=pupil, quiz_id__in=quiz_ids, assignment_pupil__in=[link.pk for link in links]
    ):
        attempts.setdefault((attempt.assignment_pupil_id, attempt.quiz_id), []).append(attempt)
    now = timezone.now()
    result = {}
    for link in links:
        result[link.pk] = [
            _quiz_status(
                quiz,
                link,
                attempts.get((link.pk, quiz.pk), []),
                Decimal(quiz.total_points or 0),
                now,
            )
            for quiz in covered.get(link.assignment.page_id, [])
        ]
    return result


def _quiz_status(quiz, link, attempts, max_score, now) -> QuizStatus:
    policy = policy_resolve(quiz=quiz, link=link)
    open_ = any(a.status == Attempt.Status.IN_PROGRESS for a in attempts)
    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    status = "in_progress" if open_ else ("submitted" if submitted else "not_started")
    score = graded_score(submitted, policy.grading_method)
    visible = any(attempt_visibility(attempt=a, policy=policy, now=now).feedback for a in submitted)
    needs_marking = any(a.needs_marking for a in submitted)
    first = min((a.submitted_at for a in submitted), default=None)
    due = policy.due_at
    late = bool(due and ((first and first > due) or (not first and now > due)))
    return QuizStatus(
        quiz_id=quiz.pk,
        title=quiz.title,
        status=status,
        status_label=str(STATUS_LABELS[status]),
        score=score if visible else None,
        max_score=max_score,
        percent=percent(score, max_score) if visible else None,
        needs_marking=needs_marking,
        attempts_used=len(attempts),
        attempts_left=policy.attempts_left(len(attempts)),
        late=late,
        url=quiz_pupil_url(quiz.pk, link.pk),
    )


def pupil_attempt(*, pupil, attempt_id: int) -> Attempt:
    """The pupil's own attempt (else Attempt.DoesNotExist → 404)."""
    return Attempt.objects.select_related("quiz__page", "assignment_pupil__assignment").get(
        pk=attempt_id, pupil=pupil
    )


def pupil_quiz_attempts(*, pupil, quiz: Quiz, link) -> list[Attempt]:
    return list(
        Attempt.objects.filter(pupil=pupil, quiz=quiz, assignment_pupil=link).order_by("number")
    )
