"""What quizzes add to classroom's pages and exports (registered in QuizzesConfig.ready).

Each provider runs a fixed number of queries whatever the number of pupils or assignments.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reelearn.classroom.contributions import (
    ArchivedTable,
    Attention,
    ClassTab,
    ResultRow,
    ResultsTable,
    WorkItem,
)

from .models import Answer, Attempt, GradingMethod, Question
from .pages import quizzes_for_pages
from .policy import policy_resolve
from .reports import Column, gradebook_cell
from .selectors import STATUS_LABELS, quizzes_for_pupil_assignments


def assignment_quizzes(*, pupil, links) -> dict[int, list[WorkItem]]:
    """Each assignment link's quizzes with their status and the score the pupil may see."""
    return {
        link_id: [
            WorkItem(
                title=q.title,
                url=q.url,
                status=q.status_label,
                percent=q.percent,
                done=q.status == "submitted",
                score=q.score,
                max_score=q.max_score if q.score is not None else None,
                needs_marking=q.needs_marking,
            )
            for q in quizzes
        ]
        for link_id, quizzes in quizzes_for_pupil_assignments(pupil=pupil, links=links).items()
    }


def _attempts_by_link_and_quiz(link_ids, quiz_ids) -> dict[tuple[int, int], list[Attempt]]:
    found: dict[tuple[int, int], list[Attempt]] = {}
    if not (link_ids and quiz_ids):
        return found
    for attempt in Attempt.objects.filter(
        assignment_pupil_id__in=list(link_ids), quiz_id__in=list(quiz_ids)
    ).order_by("number", "pk"):
        found.setdefault((attempt.assignment_pupil_id, attempt.quiz_id), []).append(attempt)
    return found


def class_quiz_work(*, classroom, links) -> dict[int, list[WorkItem]]:
    """Each link's quizzes as the teacher sees them: done or not, the score that counts.

    `links` carry their assignment (with `page`). Queries: quizzes with totals, attempts.
    """
    covered = quizzes_for_pages({link.assignment.page for link in links})
    quiz_ids = {q.pk for quizzes in covered.values() for q in quizzes}
    attempts = _attempts_by_link_and_quiz([link.pk for link in links], quiz_ids)
    now = timezone.now()
    result: dict[int, list[WorkItem]] = {}
    for link in links:
        items = []
        for quiz in covered.get(link.assignment.page_id, []):
            column = Column(link.assignment, quiz, Decimal(quiz.total_points or 0))
            cell = gradebook_cell(column, link, attempts.get((link.pk, quiz.pk), []), now)
            items.append(
                WorkItem(
                    title=quiz.title,
                    url=reverse("quizzes:results", args=[classroom.pk, quiz.pk]),
                    status=str(STATUS_LABELS[cell.status]),
                    percent=cell.percent,
                    done=cell.status == "submitted",
                    score=cell.score,
                    max_score=column.max_score,
                    needs_marking=cell.needs_marking,
                )
            )
        result[link.pk] = items
    return result


def _counting_attempt(submitted: list[Attempt], method: str) -> Attempt | None:
    """The attempt whose answers the results grid shows: the one the grading method counts
    (the latest when scores are averaged)."""
    if not submitted:
        return None
    if method == GradingMethod.FIRST:
        return submitted[0]
    if method == GradingMethod.HIGHEST:
        return max(submitted, key=lambda a: (a.score or Decimal(0), -a.number))
    return submitted[-1]


def _answer_cell(answer: Answer | None) -> tuple[str, str]:
    if answer is None:
        return "–", "is-blank"
    if answer.score is None:
        return "?", "is-unmarked"
    text = f"{answer.score.normalize():f}"
    if answer.is_correct:
        return text, "is-correct"
    return text, "is-partial" if answer.score else "is-wrong"


def assignment_quiz_results(*, assignment, links) -> list[ResultsTable]:
    """Per quiz in the assignment: each pupil's attempt that counts, question by question.

    Queries: quizzes with totals, attempts, questions, answers — whatever the number of
    pupils or quizzes.
    """
    quizzes = quizzes_for_pages([assignment.page]).get(assignment.page_id, [])
    if not quizzes:
        return []
    for link in links:
        link.assignment = assignment
    attempts = _attempts_by_link_and_quiz([link.pk for link in links], {q.pk for q in quizzes})
    questions: dict[int, list[Question]] = {}
    live = Question.objects.filter(quiz__in=quizzes, retired=False)
    for question in live.order_by("sort_order", "pk"):
        questions.setdefault(question.quiz_id, []).append(question)
    counted = {}
    for link in links:
        for quiz in quizzes:
            mine = attempts.get((link.pk, quiz.pk), [])
            submitted = [a for a in mine if a.status == Attempt.Status.SUBMITTED]
            policy = policy_resolve(quiz=quiz, link=link)
            counted[(link.pk, quiz.pk)] = _counting_attempt(submitted, policy.grading_method)
    answers = {
        (a.attempt_id, a.question_id): a
        for a in Answer.objects.filter(
            attempt__in=[a.pk for a in counted.values() if a is not None]
        ).only("attempt_id", "question_id", "score", "is_correct")
    }
    now = timezone.now()
    return [
        _results_table(
            assignment, quiz, links, questions.get(quiz.pk, []), attempts, counted, answers, now
        )
        for quiz in quizzes
    ]


def _results_table(assignment, quiz, links, questions, attempts, counted, answers, now):
    class_id = assignment.classroom_id
    column = Column(assignment, quiz, Decimal(quiz.total_points or 0))
    rows, percents, to_mark = {}, [], 0
    for link in links:
        mine = attempts.get((link.pk, quiz.pk), [])
        cell = gradebook_cell(column, link, mine, now)
        shown = counted[(link.pk, quiz.pk)]
        taken = None
        if shown is not None and not shown.is_paper and shown.submitted_at:
            taken = shown.submitted_at - shown.started_at
        if cell.percent is not None:
            percents.append(cell.percent)
        to_mark += sum(1 for a in mine if a.status == Attempt.Status.SUBMITTED and a.needs_marking)
        rows[link.pk] = ResultRow(
            status=cell.status,
            status_label=str(STATUS_LABELS.get(cell.status, "")),
            score=cell.score,
            percent=cell.percent,
            time_taken=taken,
            late=cell.late,
            needs_marking=cell.needs_marking,
            cells=[_answer_cell(answers.get((shown.pk, q.pk))) for q in questions]
            if shown is not None
            else [],
            url=reverse("quizzes:attempt-review", args=[class_id, quiz.pk, shown.pk])
            if shown is not None
            else "",
        )
    return ResultsTable(
        title=quiz.title,
        max_score=column.max_score,
        questions=[q.prompt_text for q in questions],
        rows=rows,
        results_url=reverse("quizzes:results", args=[class_id, quiz.pk]),
        analysis_url=reverse("quizzes:analysis", args=[class_id, quiz.pk]),
        marking_url=reverse("quizzes:marking", args=[class_id, quiz.pk]),
        to_mark=to_mark,
        average_percent=round(sum(percents) / len(percents)) if percents else None,
    )


def answers_to_mark(*, classrooms) -> list[Attention]:
    """Open answers waiting for a mark, per class and quiz (one query for all classes)."""
    rows = (
        Answer.objects.filter(
            question__kind=Question.Kind.OPEN,
            marked_at__isnull=True,
            attempt__status=Attempt.Status.SUBMITTED,
            attempt__source=Attempt.Source.ONLINE,
            attempt__assignment_pupil__assignment__classroom__in=[c.pk for c in classrooms],
        )
        .values(
            "attempt__assignment_pupil__assignment__classroom_id",
            "attempt__quiz_id",
            "attempt__quiz__title",
        )
        .annotate(n=Count("pk"))
        .order_by("attempt__assignment_pupil__assignment__classroom_id", "attempt__quiz_id")
    )
    return [
        Attention(
            classroom_id=class_id,
            text=ngettext(
                "%(n)d answer to mark in “%(quiz)s”",
                "%(n)d answers to mark in “%(quiz)s”",
                n,
            )
            % {"n": n, "quiz": title},
            url=reverse("quizzes:marking", args=[class_id, quiz_id]),
            count=n,
        )
        for class_id, quiz_id, title, n in (
            (
                r["attempt__assignment_pupil__assignment__classroom_id"],
                r["attempt__quiz_id"],
                r["attempt__quiz__title"],
                r["n"],
            )
            for r in rows
        )
    ]


def results_tab(*, classroom) -> list[ClassTab]:
    return [ClassTab("results", _("Results"), reverse("quizzes:gradebook", args=[classroom.pk]))]


def class_export_rows(*, classroom, pupil_ids: list[int]) -> dict[str, list[dict]]:
    """Attempts and answers these pupils made in this class's assignments: not their
    practice, nor their work in any other class."""
    attempts = Attempt.objects.filter(
        pupil_id__in=pupil_ids, assignment_pupil__assignment__classroom=classroom
    )
    return {
        "quiz_attempts": list(attempts.values()),
        "quiz_answers": list(Answer.objects.filter(attempt__in=attempts).values()),
    }


def _class_attempts(classroom):
    return Attempt.objects.filter(assignment_pupil__assignment__classroom=classroom)


def _class_answers(classroom):
    return Answer.objects.filter(attempt__assignment_pupil__assignment__classroom=classroom)


# An archived class's attempts and answers (in that order: parents first), exported as
# `class_export_rows` exports them while they are in the hot tables. Practice attempts are the
# pupil's own, not the class's, and stay.
ARCHIVED_TABLES = [
    ArchivedTable(Attempt, _class_attempts, "pupil_id", export_name="quiz_attempts"),
    ArchivedTable(Answer, _class_answers, "attempt__pupil_id", export_name="quiz_answers"),
]
