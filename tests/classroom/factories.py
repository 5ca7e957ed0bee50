"""Classroom factories: a class with its owner, members, groups and assignments."""

from __future__ import annotations

import secrets

import factory
from django.utils import timezone

from reelearn.classroom.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Assignment,
    AssignmentPupil,
    Classroom,
    ClassTeacher,
    Group,
    Membership,
)

from ..factories import PupilFactory


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = "Year 8"
    default_tier = "t1"
    join_code = factory.LazyFunction(
        lambda: "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    )

    @factory.post_generation
    def teacher(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            ClassTeacher.objects.create(
                classroom=obj, teacher=extracted, role=ClassTeacher.Role.OWNER
            )

    @factory.post_generation
    def pupils(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            Membership.objects.bulk_create([Membership(classroom=obj, pupil=p) for p in extracted])


def add_pupils(classroom, n: int, **kwargs) -> list:
    pupils = PupilFactory.create_batch(n, **kwargs)
    Membership.objects.bulk_create([Membership(classroom=classroom, pupil=p) for p in pupils])
    return pupils


def make_group(classroom, name: str, pupils=()) -> Group:
    group = Group.objects.create(classroom=classroom, name=name)
    group.pupils.set(pupils)
    return group


def make_assignment(
    classroom,
    page,
    *,
    pupils=None,
    status=Assignment.Status.ASSIGNED,
    due_at=None,
    open_at=None,
    title=None,
    language="en",
) -> Assignment:
    """An assignment of `page` with a link for each of `pupils` (default: every member)."""
    assignment = Assignment.objects.create(
        classroom=classroom,
        page=page,
        tier=getattr(page.specific, "tier", "t1") or "t1",
        title=title or page.title,
        language=language,
        status=status,
        open_at=open_at or timezone.now(),
        due_at=due_at,
        assigned_at=timezone.now() if status == Assignment.Status.ASSIGNED else None,
    )
    if status == Assignment.Status.ASSIGNED:
        if pupils is None:
            pupils = [m.pupil for m in classroom.memberships.select_related("pupil")]
        AssignmentPupil.objects.bulk_create(
            [AssignmentPupil(assignment=assignment, pupil=p) for p in pupils]
        )
    return assignment
