"""Classes: create, change, archive, join codes, co-teachers, and the retention sweep."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Tier
from reelearn.core.text import text_problem

from ..models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    AssignmentPupil,
    Classroom,
    ClassTeacher,
    LessonProgress,
)
from .archive import classroom_work_archive, classroom_work_restore

logger = logging.getLogger(__name__)


def _new_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _code_expiry():
    days = settings.REELEARN_JOIN_CODE_DAYS
    return timezone.now() + timedelta(days=days) if days else None


def _clean_class_fields(*, name: str, year_group: str, default_tier: str) -> dict:
    name, year_group = (name or "").strip(), (year_group or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the class a name, for example “7R Science”.")]
    elif len(name) > 100:
        errors["name"] = [_("A class name can be at most 100 characters long.")]
    elif problem := text_problem(name, name=True):
        errors["name"] = [problem]
    if len(year_group) > 40:
        errors["year_group"] = [_("A year group can be at most 40 characters long.")]
    elif problem := text_problem(year_group, name=True):
        errors["year_group"] = [problem]
    if default_tier not in Tier.values:
        errors["default_tier"] = [_("Choose one of the four age tiers.")]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "year_group": year_group, "default_tier": default_tier}


def classroom_create(
    *,
    teacher,
    name: str,
    year_group: str = "",
    default_tier: str = "t2",
    join_needs_approval: bool = True,
) -> Classroom:
    """A new class owned by `teacher`, with a fresh join code."""
    fields = _clean_class_fields(name=name, year_group=year_group, default_tier=default_tier)
    for _attempt in range(10):
        try:
            with transaction.atomic():
                classroom = Classroom.objects.create(
                    **fields,
                    join_code=_new_code(),
                    join_code_expires_at=_code_expiry(),
                    join_needs_approval=join_needs_approval,
                )
                ClassTeacher.objects.create(
                    classroom=classroom, teacher=teacher, role=ClassTeacher.Role.OWNER
                )
                return classroom
        except IntegrityError:  # pragma: no cover - a join-code clash in 25**8
            continue
    raise RuntimeError("could not make a unique join code")  # pragma: no cover


def classroom_update(
    *,
    classroom: Classroom,
    name: str,
    year_group: str,
    default_tier: str,
    join_enabled: bool,
    join_needs_approval: bool,
) -> Classroom:
    fields = _clean_class_fields(name=name, year_group=year_group, default_tier=default_tier)
    for key, value in {
        **fields,
        "join_enabled": join_enabled,
        "join_needs_approval": join_needs_approval,
    }.items():
        setattr(classroom, key, value)
    classroom.last_activity_at = timezone.now()
    classroom.save()
    return classroom


def classroom_archive(*, classroom: Classroom) -> None:
    """Archived classes keep their data but stop taking pupils; their work leaves pupils' homes."""
    now = timezone.now()
    Classroom.objects.filter(pk=classroom.pk, archived_at__isnull=True).update(archived_at=now)
    classroom.archived_at = classroom.archived_at or now


def classroom_unarchive(*, classroom: Classroom) -> None:
    """Back in use; work moved out of the hot tables by the retention sweep comes back too."""
    now = timezone.now()
    if classroom_work_restore(classroom=classroom, now=now) is None:
        Classroom.objects.filter(pk=classroom.pk).update(archived_at=None, last_activity_at=now)
    classroom.archived_at, classroom.last_activity_at = None, now


def classroom_join_code_regenerate(*, classroom: Classroom) -> str:
    """A new code (the old one stops working at once) that also switches joining back on."""
    for _attempt in range(10):
        code = _new_code()
        try:
            with transaction.atomic():
                Classroom.objects.filter(pk=classroom.pk).update(
                    join_code=code,
                    join_code_expires_at=_code_expiry(),
                    join_enabled=True,
                    last_activity_at=timezone.now(),
                )
        except IntegrityError:  # pragma: no cover
            continue
        classroom.join_code, classroom.join_enabled = code, True
        classroom.join_code_expires_at = _code_expiry()
        return code
    raise RuntimeError("could not make a unique join code")  # pragma: no cover


def classroom_join_disable(*, classroom: Classroom) -> None:
    Classroom.objects.filter(pk=classroom.pk).update(join_enabled=False)
    classroom.join_enabled = False


def classroom_teacher_add(*, classroom: Classroom, username_or_email: str) -> ClassTeacher:
    """Add a co-teacher, found by username or email (teachers only)."""
    key = (username_or_email or "").strip()
    User = get_user_model()
    found = (
        list(
            User.objects.filter(
                Q(username__iexact=key) | Q(email__iexact=key),
                role=User.Role.TEACHER,
                is_active=True,
                verified_at__isnull=False,
            )[:2]
        )
        if key
        else []
    )
    if len(found) != 1:
        raise ValidationError(
            {
                "teacher": [
                    _(
                        "No teacher account has that username or email, or it is not verified "
                        "yet. Ask your colleague to sign up and be verified by their school."
                    )
                ]
            }
        )
    link, created = ClassTeacher.objects.get_or_create(
        classroom=classroom, teacher=found[0], defaults={"role": ClassTeacher.Role.CO_TEACHER}
    )
    if not created:
        raise ValidationError({"teacher": [_("That teacher already teaches this class.")]})
    return link


def classroom_teacher_remove(*, classroom: Classroom, teacher) -> None:
    """Remove a co-teacher. The owner cannot be removed (erase or archive the class instead)."""
    ClassTeacher.objects.filter(
        classroom=classroom, teacher=teacher, role=ClassTeacher.Role.CO_TEACHER
    ).delete()


def classroom_touch(*, classroom_id: int) -> None:
    Classroom.objects.filter(pk=classroom_id).update(last_activity_at=timezone.now())


def classes_inactive(*, now=None):
    """Classes with no activity for REELEARN_CLASS_RETENTION_MONTHS months whose work is still
    in the hot tables (none when the setting is 0), oldest activity first.

    Activity is a teacher's change to the class (``last_activity_at``) or a pupil of the class
    opening, finishing or turning in work since the cut-off.
    """
    months = settings.REELEARN_CLASS_RETENTION_MONTHS
    if not months:
        return Classroom.objects.none()
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(months * 30.44))
    recent_progress = LessonProgress.objects.filter(
        Q(opened_at__gte=cutoff) | Q(completed_at__gte=cutoff),
        pupil__memberships__classroom=OuterRef("pk"),
    )
    recent_work = AssignmentPupil.objects.filter(
        Q(started_at__gte=cutoff) | Q(turned_in_at__gte=cutoff),
        assignment__classroom=OuterRef("pk"),
    )
    return (
        Classroom.objects.filter(last_activity_at__lt=cutoff, work_archive__isnull=True)
        .exclude(Exists(recent_progress))
        .exclude(Exists(recent_work))
        .order_by("last_activity_at", "pk")
    )


def classes_archive_stale(*, now=None, limit: int | None = None) -> int:
    """Archive the inactive classes (`classes_inactive`), at most `limit` of them, moving
    their work out of the hot tables (`archive.classroom_work_archive`), one class per
    transaction. Returns how many were archived; a second run archives nothing more."""
    ids = list(classes_inactive(now=now).values_list("pk", flat=True)[:limit])
    archived = 0
    for classroom in Classroom.objects.filter(pk__in=ids).order_by("last_activity_at", "pk"):
        archived += classroom_work_archive(classroom=classroom, now=now) is not None
    if archived:
        logger.info("archived %d inactive classes", archived)
    return archived
