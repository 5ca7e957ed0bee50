"""Who may read or change a class and what is in it.

Reads are filtered through `Classroom.objects.visible_to(user)` (hidden → 404); these predicates
check writes and teacher-only reads on an object the user can already see (forbidden → 403).
"""

from __future__ import annotations

from .models import Classroom, ClassTeacher, Membership


def _teacher_role(user, classroom: Classroom) -> str | None:
    if not (user.is_authenticated and user.is_verified_teacher):
        return None
    cache = getattr(classroom, "_teacher_roles", None)
    if cache is None:
        cache = classroom._teacher_roles = {}
    if user.pk not in cache:
        cache[user.pk] = (
            ClassTeacher.objects.filter(classroom=classroom, teacher=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[user.pk]


def can_view_classroom(user, classroom: Classroom) -> bool:
    """The class's teachers and its active pupils."""
    if _teacher_role(user, classroom):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_pupil
        and Membership.objects.filter(
            classroom=classroom, pupil=user, status=Membership.Status.ACTIVE
        ).exists()
    )


def can_manage_classroom(user, classroom: Classroom) -> bool:
    """Owner and co-teachers: pupils, groups, assignments, progress, exports, archiving."""
    return _teacher_role(user, classroom) is not None


def can_own_classroom(user, classroom: Classroom) -> bool:
    """The owner alone adds or removes co-teachers and erases the whole class."""
    return _teacher_role(user, classroom) == ClassTeacher.Role.OWNER


def can_create_classroom(user) -> bool:
    """Verified teachers only: a self-made account makes no class and so no pupil accounts."""
    return bool(user.is_authenticated and user.is_verified_teacher)


def can_manage_pupil_card(user, classroom: Classroom, membership: Membership) -> bool:
    """See, print or reset a pupil's login card: teachers of the class the card belongs to (the
    class that made the account, `selectors.home_class_id_subquery`), while the pupil is an
    active member of it. A class the pupil merely joined with its code sees only their name
    (pending) or their work in that class (active), never their password."""
    return bool(
        can_manage_classroom(user, classroom)
        and membership.classroom_id == classroom.pk
        and membership.status == Membership.Status.ACTIVE
        and getattr(membership, "home_class_id", None) == classroom.pk
    )
