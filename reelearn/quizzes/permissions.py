"""Who may take, read, mark and regrade quizzes.

Reads go through scoped querysets (`Attempt.objects.visible_to(user)`, classes the teacher
teaches): anything else is a 404. These predicates check writes and teacher-only screens on
objects the user can already see (forbidden → 403).
"""

from __future__ import annotations

from reelearn.classroom.permissions import can_manage_classroom

from .models import Attempt, Quiz


def can_take_quiz(user, quiz: Quiz) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_pupil and quiz.live)


def can_view_attempt(user, attempt: Attempt) -> bool:
    """The pupil who made it, and teachers of the class it was assigned in."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_pupil:
        return attempt.pupil_id == user.pk
    if user.is_teacher and attempt.assignment_pupil_id:
        return can_manage_classroom(user, attempt.assignment_pupil.assignment.classroom)
    return False


def can_view_class_results(user, classroom) -> bool:
    """Gradebook, results, item analysis and exports: the class's teachers."""
    return bool(user.is_authenticated and user.is_active and user.is_teacher
                and can_manage_classroom(user, classroom))


def can_mark_answers(user, classroom) -> bool:
    """Marking open responses, typing paper marks and regrading a class's attempts."""
    return can_view_class_results(user, classroom)


def can_regrade_quiz(user) -> bool:
    """Regrading every attempt of a quiz (after an editor corrected a question)."""
    return bool(user.is_authenticated and user.is_active and user.is_editor)
