"""Who may read which pack. Reads are filtered (`Pack.objects.visible_to`, hidden → 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def can_view_teacher_edition(user) -> bool:
    """Teacher editions carry guides and answer keys: verified teachers and editors only."""
    return bool(user and user.is_authenticated and user.can_see_teacher_material)


def can_view_edition(user, edition: str) -> bool:
    from .models import Pack

    return edition == Pack.Edition.STUDENT or can_view_teacher_edition(user)


def can_view_class_pack(user, assignment) -> bool:
    """A class pack (login cards, named sheets): the class's own teachers only."""
    from reelearn.classroom.permissions import can_manage_classroom

    return bool(
        user
        and user.is_authenticated
        and user.is_verified_teacher
        and can_manage_classroom(user, assignment.classroom)
    )


def can_view_pack(user, pack) -> bool:
    from .models import Pack

    if pack.kind == Pack.Kind.CLASS:
        return can_view_class_pack(user, pack.assignment)
    return can_view_edition(user, pack.edition)


FAILED_FOR_VISITORS = _(
    "The pack could not be made. Try again; if it fails again, the REElearn editors have "
    "the details."
)


def visible_error(user, pack) -> str:
    """What a failed build says: the recorded error for editors, a plain sentence for others
    (a traceback can name files, settings or hosts)."""
    if not pack.error:
        return ""
    if user and user.is_authenticated and user.is_editor:
        return pack.error
    return str(FAILED_FOR_VISITORS)
