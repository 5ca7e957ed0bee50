"""A class's data: export it all, erase a pupil or the whole class.

Erasing deletes pupil accounts, so everything that points at them with CASCADE goes too
(memberships, assignment links, lesson progress, login cards, quiz attempts and answers, and
the work of archived classes, kept per pupil in ArchivedWork).
A pupil who is also in a class this erasure does not cover keeps their account and loses only
what belongs to this class. Logs carry ids and counts, never names.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from reelearn.core import csv as safe_csv

from ..contributions import export_parts
from ..models import Assignment, AssignmentPupil, Classroom, LessonProgress, Membership
from ..selectors import under_assigned_pages
from ..signals import pupils_erased
from .archive import archived_export_rows, archived_work_erase

logger = logging.getLogger(__name__)


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _csv(rows: list[dict]) -> str:
    """Dates as ISO text, numbers as numbers; text a spreadsheet would run is made inert."""
    plain = (str, int, float, Decimal, bool)
    return safe_csv.dict_rows_text(
        [
            {
                k: v if v is None or isinstance(v, plain) else _json_default(v)
                for k, v in row.items()
            }
            for row in rows
        ]
    )


def classroom_export(*, classroom: Classroom) -> bytes:
    """A zip of JSON and CSV files with everything the platform holds about this class.

    Only this class: its active pupils (a pupil waiting for approval is only a name on the
    teacher's screen, not part of the class's data), their work in this class's assignments,
    and their progress on the lessons this class assigned.
    """
    memberships = list(
        Membership.objects.filter(
            classroom=classroom, status=Membership.Status.ACTIVE
        ).select_related("pupil")
    )
    pupil_ids = [m.pupil_id for m in memberships]
    assignments = list(Assignment.objects.filter(classroom=classroom).select_related("page"))
    assigned_pages = [a.page for a in assignments if a.status == Assignment.Status.ASSIGNED]
    progress = (
        LessonProgress.objects.filter(under_assigned_pages(assigned_pages), pupil_id__in=pupil_ids)
        if assigned_pages and pupil_ids
        else LessonProgress.objects.none()
    )
    data: dict[str, list[dict]] = {
        "class": [
            {
                "id": classroom.pk,
                "name": classroom.name,
                "year_group": classroom.year_group,
                "default_tier": classroom.default_tier,
                "created_at": classroom.created_at,
                "archived_at": classroom.archived_at,
                "teachers": [
                    {"display_name": str(ct.teacher), "role": ct.role}
                    for ct in classroom.class_teachers.select_related("teacher")
                ],
            }
        ],
        "pupils": [
            {
                "id": m.pupil_id,
                "username": m.pupil.username,
                "display_name": m.pupil.display_name,
                "membership": m.status,
                "joined_at": m.joined_at,
                "last_login": m.pupil.last_login,
            }
            for m in memberships
        ],
        "groups": [
            {
                "id": g.pk,
                "name": g.name,
                "pupil_ids": [p.pk for p in g.pupils.all() if p.pk in set(pupil_ids)],
            }
            for g in classroom.groups.prefetch_related("pupils")
        ],
        "assignments": [
            {
                "id": a.pk,
                "title": a.title,
                "page_id": a.page_id,
                "tier": a.tier,
                "status": a.status,
                "audience": a.audience,
                "instructions": a.instructions,
                "open_at": a.open_at,
                "due_at": a.due_at,
                "assigned_at": a.assigned_at,
                "created_at": a.created_at,
            }
            for a in assignments
        ],
        "assignment_pupils": list(
            AssignmentPupil.objects.filter(
                assignment__classroom=classroom, pupil_id__in=pupil_ids
            ).values(
                "assignment_id",
                "pupil_id",
                "status",
                "due_at_override",
                "extra_time_minutes",
                "extra_attempts",
                "started_at",
                "turned_in_at",
                "returned_at",
            )
        ),
        "lesson_progress": list(
            progress.values("pupil_id", "page_id", "opened_at", "completed_at")
        ),
        **export_parts(classroom=classroom, pupil_ids=pupil_ids),
    }
    for name, rows in archived_export_rows(classroom=classroom, pupil_ids=pupil_ids).items():
        data.setdefault(name, []).extend(rows)  # an archived class's work: see services.archive
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            (
                f"REElearn export of class {classroom.pk}, made {timezone.now().isoformat()}.\n"
                "Each table is given as JSON and as CSV. Pupils have no email or date of birth.\n"
                "Only this class's pupils and their work in this class's assignments "
                "are included.\n"
                "CSV cells that a spreadsheet would run as a formula start with an apostrophe.\n"
            ),
        )
        for name, rows in data.items():
            archive.writestr(f"{name}.json", json.dumps(rows, default=_json_default, indent=2))
            archive.writestr(f"{name}.csv", _csv(rows))
    logger.info("class %s exported", classroom.pk)
    return buffer.getvalue()


def _pupils_only_in(classroom_ids: list[int], pupil_ids: list[int]) -> list[int]:
    """Of `pupil_ids`, those with no membership outside `classroom_ids`."""
    elsewhere = set(
        Membership.objects.filter(pupil_id__in=pupil_ids)
        .exclude(classroom_id__in=classroom_ids)
        .values_list("pupil_id", flat=True)
    )
    return [pid for pid in pupil_ids if pid not in elsewhere]


def _detach(classroom: Classroom, pupil_ids: list[int]) -> None:
    AssignmentPupil.objects.filter(assignment__classroom=classroom, pupil_id__in=pupil_ids).delete()
    for group in classroom.groups.all():
        group.pupils.remove(*pupil_ids)
    Membership.objects.filter(classroom=classroom, pupil_id__in=pupil_ids).delete()


@transaction.atomic
def pupil_erase(*, classroom: Classroom, pupil) -> bool:
    """Erase a pupil: their account and all their work, unless they are also in another class,
    in which case only this class's link and work go. True when the account was deleted."""
    User = get_user_model()
    only_here = _pupils_only_in([classroom.pk], [pupil.pk])
    _detach(classroom, [pupil.pk])
    archived_work_erase(classroom=classroom, pupil_ids=[pupil.pk])
    pupils_erased.send(sender=Classroom, classroom_id=classroom.pk, pupil_ids=[pupil.pk])
    deleted = bool(only_here) and pupil.role == User.Role.PUPIL
    if deleted:
        User.objects.filter(pk=pupil.pk, role=User.Role.PUPIL).delete()
    logger.info("class %s: pupil %s erased (account deleted: %s)", classroom.pk, pupil.pk, deleted)
    return deleted


@transaction.atomic
def classroom_erase(*, classroom: Classroom) -> int:
    """Erase a class and its pupils (see pupil_erase). Returns how many accounts were deleted."""
    User = get_user_model()
    pupil_ids = list(
        Membership.objects.filter(classroom=classroom).values_list("pupil_id", flat=True)
    )
    only_here = _pupils_only_in([classroom.pk], pupil_ids)
    class_id = classroom.pk
    pupils_erased.send(sender=Classroom, classroom_id=class_id, pupil_ids=pupil_ids)
    classroom.delete()
    deleted, _ = User.objects.filter(pk__in=only_here, role=User.Role.PUPIL).delete()
    count = len(only_here)
    logger.info("class %s erased with %d pupil accounts (%d rows)", class_id, count, deleted)
    return count


def classroom_counts(*, classroom: Classroom) -> dict:
    """What an erasure would delete, for the confirmation screen."""
    return Classroom.objects.filter(pk=classroom.pk).aggregate(
        pupils=Count("memberships", distinct=True), assignments=Count("assignments", distinct=True)
    )
