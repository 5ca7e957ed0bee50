"""Teachers' reads: gradebook, results per quiz, item analysis and CSV rows.

Each builder runs a fixed number of queries whatever the number of pupils, quizzes or attempts
(the rows are joined in Python), so a gradebook of 40 pupils × 30 quizzes costs the same as 3×3.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from reelearn.classroom.models import Assignment, AssignmentPupil, Classroom, Membership
from reelearn.core import csv as safe_csv

from . import permissions
from .answer_shapes import response_display
from .models import Answer, Attempt, Question, Quiz
from .pages import quizzes_for_pages
from .policy import policy_resolve
from .selectors import graded_score, percent

# --- The class and quiz a teacher's page or API call is about (both front ends use these) ---


def results_classroom(user, class_id: int) -> Classroom:
    """A class whose results `user` may read: 404 if they cannot see it, 403 if they may see
    it but not its results."""
    classroom = get_object_or_404(Classroom.objects.visible_to(user), pk=class_id)
    if not permissions.can_view_class_results(user, classroom):
        raise PermissionDenied
    return classroom


def results_class_quiz(user, class_id: int, quiz_id: int):
    """(classroom, quiz, assignments covering it) for a quiz assigned to the class, else 404."""
    classroom = results_classroom(user, class_id)
    columns = [c for c in class_quizzes(classroom) if c.quiz.pk == quiz_id]
    if not columns:
        raise Http404
    return classroom, columns[0].quiz, [c.assignment for c in columns]


@dataclass
class Column:
    assignment: Assignment
    quiz: Quiz
    max_score: Decimal


@dataclass
class Cell:
    status: str  # not_assigned | not_started | in_progress | submitted
    score: Decimal | None = None
    percent: int | None = None
    late: bool = False
    needs_marking: bool = False
    paper: bool = False
    attempts: int = 0


@dataclass
class Gradebook:
    classroom: Classroom
    columns: list[Column]
    rows: list[tuple[object, list[Cell]]]  # (pupil, cells in column order)


def _class_context(classroom: Classroom):
    """Assigned assignments (with pages) and the quizzes they cover, with point totals."""
    assignments = list(
        Assignment.objects.filter(classroom=classroom, status=Assignment.Status.ASSIGNED)
        .select_related("page")
        .order_by("due_at", "open_at", "pk")
    )
    covered = quizzes_for_pages({a.page for a in assignments})
    columns = [
        Column(a, q, Decimal(q.total_points or 0))
        for a in assignments
        for q in covered.get(a.page_id, [])
    ]
    return assignments, columns


def class_quizzes(classroom: Classroom) -> list[Column]:
    return _class_context(classroom)[1]


def _links(assignments) -> dict[tuple[int, int], AssignmentPupil]:
    by_id = {a.pk: a for a in assignments}
    links = {}
    for link in AssignmentPupil.objects.filter(assignment__in=list(by_id)):
        link.assignment = by_id[link.assignment_id]
        links[(link.assignment_id, link.pupil_id)] = link
    return links


def gradebook_cell(
    column: Column, link: AssignmentPupil | None, attempts: list[Attempt], now
) -> Cell:
    if link is None:
        return Cell("not_assigned")
    policy = policy_resolve(quiz=column.quiz, link=link)
    submitted = [a for a in attempts if a.status == Attempt.Status.SUBMITTED]
    open_ = any(a.status == Attempt.Status.IN_PROGRESS for a in attempts)
    status = "submitted" if submitted else ("in_progress" if open_ else "not_started")
    score = graded_score(submitted, policy.grading_method)
    first = min((a.submitted_at for a in submitted), default=None)
    due = policy.due_at
    return Cell(
        status=status,
        score=score,
        percent=percent(score, column.max_score),
        late=bool(due and ((first and first > due) or (not first and now > due))),
        needs_marking=any(a.needs_marking for a in submitted),
        paper=any(a.is_paper for a in submitted),
        attempts=len(attempts),
    )


def gradebook(classroom: Classroom) -> Gradebook:
    """Pupils × assigned quizzes. Queries: memberships, assignments, quizzes, totals, links,
    attempts."""
    pupils = [
        m.pupil
        for m in Membership.objects.filter(classroom=classroom, status=Membership.Status.ACTIVE)
        .select_related("pupil")
        .order_by("pupil__display_name", "pupil__username")
    ]
    assignments, columns = _class_context(classroom)
    links = _links(assignments)
    attempts: dict[tuple[int, int], list[Attempt]] = {}
    quiz_ids = {c.quiz.pk for c in columns}
    for attempt in Attempt.objects.filter(
        assignment_pupil__assignment__in=assignments, quiz_id__in=quiz_ids
    ).only(
        "pk",
        "quiz_id",
        "assignment_pupil_id",
        "status",
        "source",
        "score",
        "number",
        "submitted_at",
        "needs_marking",
    ):
        attempts.setdefault((attempt.assignment_pupil_id, attempt.quiz_id), []).append(attempt)
    now = timezone.now()
    rows = []
    for pupil in pupils:
        cells = []
        for column in columns:
            link = links.get((column.assignment.pk, pupil.pk))
            found = attempts.get((link.pk, column.quiz.pk), []) if link else []
            cells.append(gradebook_cell(column, link, found, now))
        rows.append((pupil, cells))
    return Gradebook(classroom=classroom, columns=columns, rows=rows)


def gradebook_csv_rows(book: Gradebook):
    yield [
        _("Pupil"),
        _("Username"),
        *[f"{c.assignment.title}: {c.quiz.title}" for c in book.columns],
    ]
    for pupil, cells in book.rows:
        yield [str(pupil), pupil.username, *[_cell_text(cell) for cell in cells]]


def _cell_text(cell: Cell) -> str:
    if cell.status == "submitted":
        text = f"{cell.score}" if cell.score is not None else ""
        flags = [
            f
            for f, on in (
                (_("late"), cell.late),
                (_("to mark"), cell.needs_marking),
                (_("paper"), cell.paper),
            )
            if on
        ]
        return f"{text} ({', '.join(flags)})" if flags else text
    return {
        "not_assigned": "",
        "not_started": _("not started"),
        "in_progress": _("in progress"),
    }.get(cell.status, "")


# --- One quiz in one class ------------------------------------------------------------------


@dataclass
class QuizReport:
    classroom: Classroom
    quiz: Quiz
    questions: list[Question]
    links: list[AssignmentPupil]
    attempts: list[Attempt]  # every attempt in the class's assignments, by pupil then number
    answers: dict[tuple[int, int], Answer]  # (attempt id, question id)
    max_score: Decimal = Decimal(0)
    graded: dict[int, Decimal | None] = field(default_factory=dict)  # link id → graded score

    def answer(self, attempt: Attempt, question: Question) -> Answer | None:
        return self.answers.get((attempt.pk, question.pk))

    def rows(self):
        """(attempt, [answer or None per question]) in pupil order."""
        for attempt in self.attempts:
            yield attempt, [self.answer(attempt, q) for q in self.questions]


def quiz_report(classroom: Classroom, quiz: Quiz, *, assignments=None) -> QuizReport:
    """All attempts at `quiz` in the class's assignments that include it.

    Queries: assignments (+ quizzes covered), links, attempts with pupils, questions,
    choices, answers.
    """
    if assignments is None:
        assignments, columns = _class_context(classroom)
        assignments = [c.assignment for c in columns if c.quiz.pk == quiz.pk]
    by_id = {a.pk: a for a in assignments}
    links = list(
        AssignmentPupil.objects.filter(assignment__in=list(by_id))
        .select_related("pupil")
        .order_by("pupil__display_name", "pupil__username", "assignment_id")
    )
    for link in links:
        link.assignment = by_id[link.assignment_id]
    link_by_id = {link.pk: link for link in links}
    attempts = list(
        Attempt.objects.filter(quiz=quiz, assignment_pupil__in=list(link_by_id)).order_by(
            "assignment_pupil_id", "number"
        )
    )
    order = {link.pk: i for i, link in enumerate(links)}
    attempts.sort(key=lambda a: (order[a.assignment_pupil_id], a.number))
    for attempt in attempts:
        attempt.assignment_pupil = link_by_id[attempt.assignment_pupil_id]
        attempt.pupil = attempt.assignment_pupil.pupil
    questions = list(quiz.questions.filter(retired=False).prefetch_related("choices"))
    by_question = {q.pk: q for q in questions}
    answers = {}
    for answer in Answer.objects.filter(
        attempt__in=[a.pk for a in attempts if a.status == Attempt.Status.SUBMITTED]
    ):
        if answer.question_id in by_question:
            answer.question = by_question[answer.question_id]
            answers[(answer.attempt_id, answer.question_id)] = answer
    report = QuizReport(
        classroom=classroom,
        quiz=quiz,
        questions=questions,
        links=links,
        attempts=attempts,
        answers=answers,
        max_score=Decimal(sum(q.points for q in questions)),
    )
    for link in links:
        policy = policy_resolve(quiz=quiz, link=link)
        mine = [a for a in attempts if a.assignment_pupil_id == link.pk]
        report.graded[link.pk] = graded_score(mine, policy.grading_method)
    return report


def detail_csv_rows(report: QuizReport):
    """One row per pupil per question (per submitted attempt)."""
    yield [
        _("Pupil"),
        _("Username"),
        _("Assignment"),
        _("Attempt"),
        _("Source"),
        _("Submitted"),
        _("Late"),
        _("Question"),
        _("Type"),
        _("Prompt"),
        _("Answer"),
        _("Points"),
        _("Out of"),
        _("Correct"),
        _("Teacher comment"),
    ]
    choices = {q.pk: list(q.choices.all()) for q in report.questions}
    for attempt, answers in report.rows():
        if attempt.status != Attempt.Status.SUBMITTED:
            continue
        link = attempt.assignment_pupil
        late = bool(link.due_at and attempt.submitted_at > link.due_at)
        for number, (question, answer) in enumerate(
            zip(report.questions, answers, strict=True), start=1
        ):
            yield [
                str(attempt.pupil),
                attempt.pupil.username,
                link.assignment.title,
                attempt.number,
                attempt.get_source_display(),
                attempt.submitted_at.isoformat(timespec="seconds"),
                _yes(late),
                number,
                question.get_kind_display(),
                question.prompt_text,
                response_display(
                    question, answer.response if answer else None, choices[question.pk]
                ),
                "" if answer is None or answer.score is None else answer.score,
                question.points,
                "" if answer is None or answer.is_correct is None else _yes(answer.is_correct),
                answer.comment if answer else "",
            ]


def summary_csv_rows(report: QuizReport):
    """One row per pupil (and assignment): attempts, status and the score that counts."""
    yield [
        _("Pupil"),
        _("Username"),
        _("Assignment"),
        _("Attempts"),
        _("Status"),
        _("Score"),
        _("Out of"),
        _("Percent"),
        _("Late"),
        _("Waiting for marking"),
    ]
    for link in report.links:
        mine = [a for a in report.attempts if a.assignment_pupil_id == link.pk]
        submitted = [a for a in mine if a.status == Attempt.Status.SUBMITTED]
        status = _("Submitted") if submitted else _("In progress") if mine else _("Not started")
        score = report.graded.get(link.pk)
        first = min((a.submitted_at for a in submitted), default=None)
        late = bool(
            link.due_at
            and ((first and first > link.due_at) or (not first and timezone.now() > link.due_at))
        )
        yield [
            str(link.pupil),
            link.pupil.username,
            link.assignment.title,
            len(mine),
            status,
            "" if score is None else score,
            report.max_score,
            "" if score is None else percent(score, report.max_score),
            _yes(late),
            _yes(any(a.needs_marking for a in submitted)),
        ]


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


# --- Item analysis --------------------------------------------------------------------------


@dataclass
class ItemStats:
    question: Question
    number: int
    responses: int  # pupils counted
    facility: float | None  # mean share of the points (share correct for 1-mark items)
    discrimination: float | None  # point-biserial: item score vs total score
    wrong_answers: list[tuple[str, int]]  # most common wrong answers with counts
    blank: int


@dataclass
class ItemAnalysis:
    report: QuizReport
    pupils: int
    mean_percent: int | None
    items: list[ItemStats]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def item_analysis(report: QuizReport, *, top: int = 3) -> ItemAnalysis:
    """Per question: facility, discrimination and the commonest wrong answers.

    Counts each pupil's first submitted attempt (online or paper) in the class: the first try
    shows what the class believed before feedback and retries.
    """
    first: dict[int, Attempt] = {}
    for attempt in report.attempts:
        if attempt.status == Attempt.Status.SUBMITTED and attempt.pupil_id not in first:
            first[attempt.pupil_id] = attempt
    attempts = list(first.values())
    totals = [float(a.score or 0) for a in attempts]
    items = []
    for number, question in enumerate(report.questions, start=1):
        choices = list(question.choices.all())
        scores, paired_totals, wrong, blank = [], [], Counter(), 0
        for attempt, total in zip(attempts, totals, strict=True):
            answer = report.answer(attempt, question)
            if answer is not None and answer.score is None:
                continue  # open response not marked yet
            score = float(answer.score) if answer is not None else 0.0
            scores.append(score / question.points)
            paired_totals.append(total)
            if answer is None or not answer.response:
                blank += 1
            elif not answer.is_correct and not answer.response.get("paper"):
                text = response_display(question, answer.response, choices)
                if question.kind in (Question.Kind.SHORT_TEXT, Question.Kind.NUMERIC):
                    text = text.strip().lower()
                wrong[text] += 1
        items.append(
            ItemStats(
                question=question,
                number=number,
                responses=len(scores),
                facility=sum(scores) / len(scores) if scores else None,
                discrimination=pearson(scores, paired_totals),
                wrong_answers=wrong.most_common(top),
                blank=blank,
            )
        )
    mean = (sum(totals) / len(totals)) if totals else None
    return ItemAnalysis(
        report=report,
        pupils=len(attempts),
        mean_percent=percent(mean, report.max_score) if mean is not None else None,
        items=items,
    )


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    """Stream rows as a CSV download (with a BOM so spreadsheet programs read UTF-8); text a
    spreadsheet would run as a formula is made inert (reelearn.core.csv)."""
    writer = safe_csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
