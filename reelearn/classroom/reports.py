"""Teachers' reads of results: the class overview's grid and assignment summaries, one
assignment's results, and the teacher's home across classes.

Quiz results come from the apps above classroom through `contributions`; every read runs a
fixed number of queries whatever the number of pupils, assignments or classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import contributions, selectors
from .models import Assignment, AssignmentPupil, Classroom, LessonProgress, Membership


def work_text(*, lessons_done: int, lessons_total: int, work: list) -> str:
    """ "2/3 lessons · quiz 7/9": what a pupil did, in a few words for a grid cell."""
    parts = []
    if lessons_total:
        parts.append(
            ngettext("%(done)d/%(total)d lesson", "%(done)d/%(total)d lessons", lessons_total)
            % {"done": lessons_done, "total": lessons_total}
        )
    for item in work:
        if not item.done:
            parts.append(_("quiz not done"))
        elif item.score is None:
            parts.append(_("quiz to mark") if item.needs_marking else _("quiz done"))
        else:
            text = (
                _("quiz %(score)s/%(max)s so far, to mark")
                if item.needs_marking
                else _("quiz %(score)s/%(max)s")
            )
            parts.append(text % {"score": _number(item.score), "max": _number(item.max_score)})
    return " · ".join(parts)


def _number(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _lesson_counts(pages, pupil_ids) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """({assigned page id: lessons in it}, {(page id, pupil id): lessons done}): two queries."""
    lessons = selectors.lessons_by_assignment_page(pages)
    totals = {page_id: len(found) for page_id, found in lessons.items()}
    page_of: dict[int, list[int]] = {}
    for page_id, found in lessons.items():
        for lesson in found:
            page_of.setdefault(lesson.pk, []).append(page_id)
    done: dict[tuple[int, int], int] = {}
    if page_of and pupil_ids:
        for pupil_id, lesson_id in LessonProgress.objects.filter(
            pupil_id__in=list(pupil_ids), page_id__in=list(page_of), completed_at__isnull=False
        ).values_list("pupil_id", "page_id"):
            for page_id in page_of[lesson_id]:
                done[(page_id, pupil_id)] = done.get((page_id, pupil_id), 0) + 1
    return totals, done


def turned_in_unfinished(link: AssignmentPupil) -> bool:
    """Turned in with lessons unread or quizzes not done (as recorded at turn-in)."""
    work = link.turned_in_work or {}
    return (
        link.status in ("turned_in", "returned")
        and bool(work)
        and (
            work.get("lessons_done", 0) < work.get("lessons_total", 0)
            or work.get("quizzes_done", 0) < work.get("quizzes_total", 0)
        )
    )


def _unfinished_status(status: dict) -> dict:
    """A turn-in of unfinished work is not shown as plain green."""
    return {**status, "label": _("Turned in unfinished"), "css": "status-warn"}


# --- The class overview ------------------------------------------------------------------------


@dataclass
class AssignmentSummary:
    assignment: Assignment
    pupils: int = 0
    turned_in: int = 0
    late: int = 0
    missing: int = 0
    not_started: int = 0
    average_percent: int | None = None
    percents: list[int] = field(default_factory=list)


def class_overview(*, classroom: Classroom, now: datetime | None = None) -> dict:
    """The dashboard (`selectors.class_dashboard`) with what each pupil did in each grid cell
    and, per assignment, completion and the average quiz score. Adds: lessons, lesson
    progress, and the queries of the apps that add work (quizzes: two)."""
    now = now or timezone.now()
    board = selectors.class_dashboard(classroom=classroom, now=now)
    cells = [cell for row in board["grid"] for cell in row["cells"] if cell.get("link")]
    totals, done = _lesson_counts(
        [a.page for a in board["assigned"]], [m.pupil_id for m in board["memberships"]]
    )
    work = contributions.class_work(classroom=classroom, links=[c["link"] for c in cells])
    summaries = {a.pk: AssignmentSummary(a) for a in board["assigned"]}
    for cell in cells:
        link, assignment = cell["link"], cell["assignment"]
        items = work.get(link.pk, [])
        cell["work"] = items
        cell["text"] = work_text(
            lessons_done=done.get((assignment.page_id, link.pupil_id), 0),
            lessons_total=totals.get(assignment.page_id, 0),
            work=items,
        )
        if turned_in_unfinished(link):
            cell["status"] = _unfinished_status(cell["status"])
        summary = summaries[assignment.pk]
        summary.pupils += 1
        status = cell["status"]
        summary.turned_in += link.status in ("turned_in", "returned")
        summary.late += status["late"] and not status["missing"]
        summary.missing += status["missing"]
        summary.not_started += link.status == "not_started"
        summary.percents += [w.percent for w in items if w.percent is not None]
    for summary in summaries.values():
        if summary.percents:
            summary.average_percent = round(sum(summary.percents) / len(summary.percents))
    board["summaries"] = list(summaries.values())
    return board


# --- One assignment ----------------------------------------------------------------------------


def assignment_results(*, assignment: Assignment, now: datetime | None = None) -> dict:
    """Each pupil's status, lessons done and quiz scores, and per quiz a pupil × question
    grid (`contributions.assignment_results`). Adds: links, lessons, progress, and the
    queries of the apps that add results (quizzes: four)."""
    now = now or timezone.now()
    rows = selectors.assignment_report(assignment=assignment, now=now)
    links = [row["link"] for row in rows]
    totals, done = _lesson_counts([assignment.page], [link.pupil_id for link in links])
    tables = contributions.assignment_results(assignment=assignment, links=links)
    total = totals.get(assignment.page_id, 0)
    for row in rows:
        link = row["link"]
        row["lessons_done"] = done.get((assignment.page_id, link.pupil_id), 0)
        row["lessons_total"] = total
        row["results"] = [table.rows.get(link.pk) for table in tables]
        if turned_in_unfinished(link):
            row["status"] = _unfinished_status(row["status"])
    return {"rows": rows, "tables": tables, "lessons_total": total}


# --- The teacher's home ------------------------------------------------------------------------


def teacher_home(*, teacher, now: datetime | None = None) -> dict:
    """Every class of the teacher, and what waits for them across the active ones: join
    requests, answers to mark, late and missing work, pupils not started. Queries: classes,
    assignment counts, and the apps' (quizzes: one)."""
    now = now or timezone.now()
    classes = list(selectors.classes_for_teacher(teacher=teacher))
    active = [c for c in classes if not c.is_archived]
    by_id = {c.pk: c for c in active}
    attention = [
        {"classroom": by_id[c.pk], "kind": "join", "count": c.pending_count}
        for c in active
        if c.pending_count
    ]
    for item in contributions.attention(classrooms=active):
        attention.append(
            {
                "classroom": by_id[item.classroom_id],
                "kind": "mark",
                "count": item.count,
                "text": item.text,
                "url": item.url,
            }
        )
    for row in _assignment_counts(active, now):
        for kind in ("late", "missing", "not_started"):
            if row[kind]:
                attention.append(
                    {
                        "classroom": by_id[row["assignment__classroom_id"]],
                        "kind": kind,
                        "count": row[kind],
                        "assignment_id": row["assignment_id"],
                        "title": row["assignment__title"],
                    }
                )
    order = {"join": 0, "mark": 1, "late": 2, "missing": 3, "not_started": 4}
    attention.sort(key=lambda a: (order[a["kind"]], a["classroom"].name, a["classroom"].pk))
    return {
        "active": active,
        "archived": [c for c in classes if c.is_archived],
        "attention": attention,
    }


def _assignment_counts(classrooms, now):
    """Per open assignment of these classes, among its pupils still in the class: work turned
    in late and not yet returned, work past its due date and not turned in, and pupils who
    have not started work that is not yet due. One query."""
    if not classrooms:
        return []
    active = (AssignmentPupil.Status.NOT_STARTED, AssignmentPupil.Status.IN_PROGRESS)
    return (
        AssignmentPupil.objects.filter(
            assignment__classroom__in=[c.pk for c in classrooms],
            assignment__status=Assignment.Status.ASSIGNED,
            assignment__open_at__lte=now,
            pupil__memberships__classroom=F("assignment__classroom"),
            pupil__memberships__status=Membership.Status.ACTIVE,
        )
        .annotate(due=Coalesce("due_at_override", "assignment__due_at"))
        .values("assignment_id", "assignment__title", "assignment__classroom_id")
        .annotate(
            late=Count(
                "pk",
                filter=Q(status=AssignmentPupil.Status.TURNED_IN, turned_in_at__gt=F("due")),
            ),
            missing=Count("pk", filter=Q(status__in=active, due__lt=now)),
            not_started=Count(
                "pk",
                filter=Q(status=AssignmentPupil.Status.NOT_STARTED)
                & (Q(due__isnull=True) | Q(due__gte=now)),
            ),
        )
        .order_by("assignment__classroom_id", "assignment__due_at", "assignment_id")
    )
