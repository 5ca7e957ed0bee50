"""Archiving a class: its pupils' work leaves the hot tables, and comes back exactly on restore.

A class inactive for REELEARN_CLASS_RETENTION_MONTHS is archived (`classes_archive_stale`, daily
from Celery beat, and `manage.py archive_classes`). The class row, its teachers, memberships,
groups and assignments stay, so the class still lists, exports and erases as before; what grows
with every lesson and quiz moves into one ArchivedWork row per pupil: their assignment links,
their lesson progress on the class's lessons (only when they have no class left whose work is
still in the hot tables: progress is not kept per class), and what the apps above register
(`contributions.register_archived_table`: quiz attempts and answers). Restoring writes the rows
back with their ids and every value as it was, and brings the class back out of the archive.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from ..contributions import ArchivedTable, archived_tables
from ..models import (
    ArchivedWork,
    Assignment,
    AssignmentPupil,
    ClassArchive,
    Classroom,
    LessonProgress,
    Membership,
)
from ..selectors import under_assigned_pages
from .progress import lesson_progress_markers_clear

logger = logging.getLogger(__name__)
OWNER = "archive_owner"  # the pupil a row belongs to, as read with the row
CHUNK = 5000  # ids per DELETE (PostgreSQL binds each one as a parameter)


def _class_links(classroom: Classroom):
    return AssignmentPupil.objects.filter(assignment__classroom=classroom)


def _class_progress(classroom: Classroom):
    """Progress of the class's pupils on its lessons, for pupils with no other class whose
    work is still hot (their progress is theirs, not the class's, while such a class uses it)."""
    assigned = classroom.assignments.filter(status=Assignment.Status.ASSIGNED)
    pages = [a.page for a in assigned.select_related("page")]
    if not pages:
        return LessonProgress.objects.none()
    still_hot = Membership.objects.filter(
        pupil=OuterRef("pupil_id"), classroom__work_archive__isnull=True
    ).exclude(classroom=classroom)
    return LessonProgress.objects.filter(
        under_assigned_pages(pages),
        pupil__memberships__classroom=classroom,
        pupil__memberships__status=Membership.Status.ACTIVE,
    ).exclude(Exists(still_hot))


def _progress_merged(archived: list[LessonProgress]) -> list[LessonProgress]:
    """A lesson the pupil opened again while the class was archived has a new row: the
    archived one comes back in its place, with the earliest opening and completion of both."""
    if not archived:
        return archived
    pairs = {(row.pupil_id, row.page_id) for row in archived}
    again = {
        (r.pupil_id, r.page_id): r
        for r in LessonProgress.objects.filter(
            pupil_id__in={p for p, _page in pairs}, page_id__in={page for _p, page in pairs}
        )
        if (r.pupil_id, r.page_id) in pairs
    }
    for row in archived:
        newer = again.get((row.pupil_id, row.page_id))
        if newer is not None:
            row.opened_at = min(row.opened_at, newer.opened_at)
            done = [t for t in (row.completed_at, newer.completed_at) if t is not None]
            row.completed_at = min(done, default=None)
    LessonProgress.objects.filter(pk__in=[r.pk for r in again.values()]).delete()
    return archived


CLASSROOM_TABLES = [
    ArchivedTable(
        AssignmentPupil,
        _class_links,
        "pupil_id",
        export_name="assignment_pupils",
        export_fields=(
            "assignment_id",
            "pupil_id",
            "status",
            "due_at_override",
            "extra_time_minutes",
            "extra_attempts",
            "started_at",
            "turned_in_at",
            "returned_at",
        ),
    ),
    ArchivedTable(
        LessonProgress,
        _class_progress,
        "pupil_id",
        export_name="lesson_progress",
        export_fields=("pupil_id", "page_id", "opened_at", "completed_at"),
        moved=lambda rows: lesson_progress_markers_clear(rows=rows),
        restoring=_progress_merged,
    ),
]


def _tables() -> list[ArchivedTable]:
    return [*CLASSROOM_TABLES, *archived_tables()]


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


# --- Archiving ----------------------------------------------------------------------------------


@transaction.atomic
def classroom_work_archive(*, classroom: Classroom, now=None) -> dict[str, int] | None:
    """Move the class's work out of the hot tables and archive the class. Returns the rows
    moved per table, or None when its work was archived already."""
    now = now or timezone.now()
    classroom = Classroom.objects.select_for_update().get(pk=classroom.pk)
    if ClassArchive.objects.filter(classroom=classroom).exists():
        return None
    tables, work, moved = _tables(), {}, {}
    for table in tables:
        rows = list(
            table.rows(classroom)
            .values(*_columns(table.model), **{OWNER: F(table.pupil)})
            .order_by("pk")
        )
        for row in rows:
            work.setdefault(row.pop(OWNER), {}).setdefault(table.key, []).append(row)
        moved[table] = [row[table.model._meta.pk.attname] for row in rows]
        if table.moved:
            table.moved(rows)
    counts = {table.key: len(ids) for table, ids in moved.items()}
    archive = ClassArchive.objects.create(classroom=classroom, archived_at=now, counts=counts)
    ArchivedWork.objects.bulk_create(
        [ArchivedWork(archive=archive, pupil_id=p, tables=t) for p, t in work.items()],
        batch_size=200,
    )
    for table in reversed(tables):  # children first; exactly the rows copied
        ids = moved[table]
        for start in range(0, len(ids), CHUNK):
            table.model.objects.filter(pk__in=ids[start : start + CHUNK]).delete()
    Classroom.objects.filter(pk=classroom.pk, archived_at__isnull=True).update(archived_at=now)
    logger.info("class %s archived: %s", classroom.pk, counts)
    return counts


@transaction.atomic
def classroom_work_restore(*, classroom: Classroom, now=None) -> dict[str, int] | None:
    """Write an archived class's work back, with its ids and values, and bring the class back
    (unarchived, active now, so the retention sweep leaves it for another period). Returns the
    rows restored per table, or None when there was no archive. Rows whose parent was deleted
    meanwhile are dropped, as that deletion would have dropped them."""
    archive = ClassArchive.objects.select_for_update().filter(classroom=classroom).first()
    if archive is None:
        return None
    tables = _tables()
    rows: dict[str, list[dict]] = {table.key: [] for table in tables}
    for work in archive.work.all():
        for key, found in work.tables.items():
            rows.setdefault(key, []).extend(found)
    restored: dict[type, set] = {}
    counts = {}
    for table in tables:
        objects = _linked([_decode(table.model, row) for row in rows[table.key]], restored)
        if table.restoring:
            objects = table.restoring(objects)
        table.model.objects.bulk_create(objects, batch_size=500)
        restored[table.model] = {o.pk for o in objects}
        counts[table.key] = len(objects)
    archive.delete()
    now = now or timezone.now()
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=None, last_activity_at=now)
    classroom.archived_at, classroom.last_activity_at = None, now
    logger.info("class %s restored: %s", classroom.pk, counts)
    return counts


def _decode(model, row: dict):
    """A model instance from an archived row: each value through its field's to_python (ISO
    text back to an aware datetime, text back to a Decimal)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return model(**{k: fields[k].to_python(v) for k, v in row.items() if k in fields})


def _linked(objects: list, restored: dict[type, set]) -> list:
    """`objects` whose foreign keys still point at something: a row whose parent is gone is
    dropped (or, for SET_NULL keys, keeps the row with the key cleared)."""
    if not objects:
        return objects
    model = type(objects[0])
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        target = field.related_model
        wanted = {getattr(o, field.attname) for o in objects} - {None}
        found = restored.get(target, set()) & wanted
        missing = wanted - found
        if missing:
            found |= set(target._base_manager.filter(pk__in=missing).values_list("pk", flat=True))
        clear = field.remote_field.on_delete is models.SET_NULL
        kept = []
        for obj in objects:
            value = getattr(obj, field.attname)
            if value is None or value in found:
                kept.append(obj)
            elif clear:
                setattr(obj, field.attname, None)
                kept.append(obj)
        objects = kept
    return objects


# --- Export and erasure -------------------------------------------------------------------------


def archived_export_rows(*, classroom: Classroom, pupil_ids: Iterable[int]) -> dict[str, list]:
    """The archived rows of these pupils, by the class export's table names, as the export
    shows hot rows (same columns, same value types). One query; none for a class not
    archived (an archived class's work is only ever moved while it is archived)."""
    found: dict[str, list[dict]] = {}
    if not classroom.is_archived:
        return found
    tables = {t.key: t for t in _tables() if t.export_name}
    for work in ArchivedWork.objects.filter(
        archive__classroom=classroom, pupil_id__in=list(pupil_ids)
    ).order_by("pupil_id"):
        for key, rows in work.tables.items():
            table = tables.get(key)
            if table is None:
                continue
            for row in rows:
                instance = _decode(table.model, row)
                names = table.export_fields or _columns(table.model)
                found.setdefault(table.export_name, []).append(
                    {name: getattr(instance, name) for name in names}
                )
    return found


def archived_work_erase(*, classroom: Classroom, pupil_ids: Iterable[int]) -> int:
    """Delete these pupils' archived work in this class (their accounts' deletion does it
    for every class). Returns the rows deleted."""
    if not classroom.is_archived:
        return 0
    deleted, _ = ArchivedWork.objects.filter(
        archive__classroom=classroom, pupil_id__in=list(pupil_ids)
    ).delete()
    return deleted
