"""Groups within a class, for differentiation. A pupil can be in several."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from reelearn.core.text import text_problem

from ..models import Classroom, Group, Membership


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the group a name.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("A group name can be at most 80 characters long.")]})
    if problem := text_problem(name, name=True):
        raise ValidationError({"name": [problem]})
    return name


def _class_pupils(classroom: Classroom, pupil_ids) -> list[int]:
    ids = {int(i) for i in pupil_ids or []}
    found = set(
        Membership.objects.filter(
            classroom=classroom, pupil_id__in=ids, status=Membership.Status.ACTIVE
        ).values_list("pupil_id", flat=True)
    )
    if ids - found:
        raise ValidationError({"pupils": [_("Some of the chosen pupils are not in this class.")]})
    return sorted(found)


def group_create(*, classroom: Classroom, name: str, pupil_ids=()) -> Group:
    name = _clean_name(name)
    pupils = _class_pupils(classroom, pupil_ids)
    try:
        with transaction.atomic():
            group = Group.objects.create(classroom=classroom, name=name)
            group.pupils.set(pupils)
    except IntegrityError:
        raise ValidationError(
            {"name": [_("This class already has a group called “%(name)s”.") % {"name": name}]}
        ) from None
    return group


def group_update(*, group: Group, name: str | None = None, pupil_ids=None) -> Group:
    try:
        with transaction.atomic():
            if name is not None:
                group.name = _clean_name(name)
                group.save(update_fields=["name"])
            if pupil_ids is not None:
                group.pupils.set(_class_pupils(group.classroom, pupil_ids))
    except IntegrityError:
        raise ValidationError(
            {"name": [_("This class already has a group with that name.")]}
        ) from None
    return group


def group_delete(*, group: Group) -> None:
    group.delete()
