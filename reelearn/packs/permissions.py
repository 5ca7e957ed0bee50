"""Who may read which pack. Reads are filtered (`Pack.objects.visible_to`, hidden → 404)."""

from __future__ import annotations


def can_view_teacher_edition(user) -> bool:
    """Teacher editions carry guides and answer keys: active teachers and editors only."""
    return bool(user and user.is_authenticated and user.can_see_teacher_material)


def can_view_edition(user, edition: str) -> bool:
    from .models import Pack

    return edition == Pack.Edition.STUDENT or can_view_teacher_edition(user)


def can_view_class_pack(user, assignment) -> bool:
    """A class pack (login cards, named sheets): the class's own teachers only."""
    from reelearn.classroom.permissions import can_manage_classroom

    return bool(user and user.is_authenticated and user.is_teacher
                and can_manage_classroom(user, assignment.classroom))


def can_view_pack(user, pack) -> bool:
    from .models import Pack

    if pack.kind == Pack.Kind.CLASS:
        return can_view_class_pack(user, pack.assignment)
    return can_view_edition(user, pack.edition)
