"""A pupil's own progress: their copy of an assignment and the lessons they open or finish.

Every change is a conditional UPDATE or an upsert, so double clicks, retries and parallel
requests (the quizzes app calls these from its own submit) leave one consistent row.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Assignment, AssignmentPupil, LessonProgress

ACTIVE_STATUSES = (AssignmentPupil.Status.NOT_STARTED, AssignmentPupil.Status.IN_PROGRESS)
# How long the shared cache remembers that a pupil's opening of a lesson is recorded. Rows are
# deleted with the pupil's account, or moved out by archiving a class, which clears their
# markers (`lesson_progress_markers_clear`), so a marker never outlives its row.
OPENED_MARKER_SECONDS = 12 * 60 * 60


def assignment_pupil_start(*, link: AssignmentPupil) -> None:
    """not started → in progress. Idempotent: later statuses are left alone."""
    now = timezone.now()
    updated = AssignmentPupil.objects.filter(
        pk=link.pk, status=AssignmentPupil.Status.NOT_STARTED
    ).update(status=AssignmentPupil.Status.IN_PROGRESS, started_at=now)
    if updated:
        link.status, link.started_at = AssignmentPupil.Status.IN_PROGRESS, now


def assignment_pupil_turn_in(*, link: AssignmentPupil, work: dict | None = None) -> bool:
    """not started / in progress → turned in, stamped once, with `work`: what was done (see
    `selectors.PupilAssignment.work_summary`). Turning in again changes nothing and returns
    False, so a double click counts once."""
    now = timezone.now()
    updated = AssignmentPupil.objects.filter(pk=link.pk, status__in=ACTIVE_STATUSES).update(
        status=AssignmentPupil.Status.TURNED_IN,
        turned_in_at=now,
        started_at=Coalesce("started_at", Value(now)),
        turned_in_work=work or {},
    )
    if updated:
        link.status, link.turned_in_at = AssignmentPupil.Status.TURNED_IN, now
        link.started_at = link.started_at or now
        link.turned_in_work = work or {}
    return bool(updated)


def assignment_pupil_return(*, link: AssignmentPupil) -> bool:
    """turned in → returned (the teacher has looked at it). False when it was not turned in."""
    now = timezone.now()
    updated = AssignmentPupil.objects.filter(
        pk=link.pk, status=AssignmentPupil.Status.TURNED_IN
    ).update(status=AssignmentPupil.Status.RETURNED, returned_at=now)
    if updated:
        link.status, link.returned_at = AssignmentPupil.Status.RETURNED, now
    return bool(updated)


def lesson_progress_open(*, pupil, page_id: int, parent_path: str | None = None) -> bool:
    """Record that a pupil opened a lesson: one upsert; True the first time only.

    On the first opening, the pupil's assignments of this lesson (or of its module-tier, the
    page at `parent_path`) move from not started to in progress, with one conditional UPDATE.
    """
    table = connection.ops.quote_name(LessonProgress._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (pupil_id, page_id, opened_at) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (pupil_id, page_id) DO NOTHING RETURNING id",
            [pupil.pk, page_id, timezone.now()],
        )
        inserted = cursor.fetchone() is not None
    if inserted:
        page_match = Q(assignment__page_id=page_id)
        if parent_path:
            page_match |= Q(assignment__page__path=parent_path)
        AssignmentPupil.objects.filter(
            page_match,
            pupil=pupil,
            status=AssignmentPupil.Status.NOT_STARTED,
            assignment__status=Assignment.Status.ASSIGNED,
            assignment__open_at__lte=timezone.now(),
        ).update(status=AssignmentPupil.Status.IN_PROGRESS, started_at=timezone.now())
    key = _opened_key(pupil.pk, page_id)
    transaction.on_commit(lambda: cache.set(key, True, OPENED_MARKER_SECONDS))
    return inserted


def lesson_progress_view(*, pupil, page_id: int, parent_path: str | None = None) -> bool:
    """A pupil viewing a lesson page: `lesson_progress_open`, unless the shared cache says the
    row is recorded already, so viewing it again writes nothing. True the first time only."""
    if cache.get(_opened_key(pupil.pk, page_id)):
        return False
    return lesson_progress_open(pupil=pupil, page_id=page_id, parent_path=parent_path)


def _opened_key(pupil_id: int, page_id: int) -> str:
    return f"classroom:lesson-opened:{pupil_id}:{page_id}"


def lesson_progress_markers_clear(*, rows) -> None:
    """Forget, once the transaction commits, that these progress rows (dicts with `pupil_id`
    and `page_id`) are recorded: archiving a class removes rows of pupils who can still sign
    in, and a marker must not outlive its row."""
    keys = [_opened_key(row["pupil_id"], row["page_id"]) for row in rows]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def lesson_progress_complete(*, pupil, page_id: int, parent_path: str | None = None) -> None:
    """Mark a lesson as done (upsert; the first completion time is kept)."""
    lesson_progress_open(pupil=pupil, page_id=page_id, parent_path=parent_path)
    LessonProgress.objects.filter(pupil=pupil, page_id=page_id, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
