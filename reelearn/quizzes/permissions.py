"""Who may take, read, mark and regrade quizzes.

Reads go through scoped querysets (`Attempt.objects.visible_to(user)`, classes the teacher
teaches): anything else is a 404. These predicates check writes and teacher-only screens on
objects the user can already see (forbidden → 403).
"""

from __future__ import annotations

from django.utils import timezone

from reelearn.classroom.models import Assignment, AssignmentPupil
from reelearn.classroom.permissions import can_manage_classroom

from .models import AnswersTiming, Attempt, Quiz
from .pages import pupil_links_for_quiz, quizzes_for_pages
from .policy import policy_resolve


def can_take_quiz(user, quiz: Quiz) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_pupil and quiz.live)


def practice_blocked(*, pupil, quiz: Quiz, now=None) -> bool:
    """Whether a quiz set to any class the pupil belongs to (a pending membership included,
    drafts included) still keeps its answers back from them. Practising it would show the key
    early, so until then the quiz can only be taken under the assignment.

    Released means: answers "after the due date" once it has passed (without a due date: once
    the pupil has submitted it there), "after submitting" once the pupil has submitted it
    there, "never" never. Three queries.
    """
    now = now or timezone.now()
    assignments = list(
        Assignment.objects.filter(classroom__memberships__pupil=pupil)
        .select_related("page")
        .distinct()
    )
    covering = quizzes_for_pages({a.page for a in assignments}, with_totals=False)
    assignments = [a for a in assignments if quiz.pk in {q.pk for q in covering.get(a.page_id, [])}]
    if not assignments:
        return False
    links = {
        link.assignment_id: link
        for link in AssignmentPupil.objects.filter(pupil=pupil, assignment__in=assignments)
    }
    submitted = set(
        Attempt.objects.submitted()
        .filter(pupil=pupil, quiz=quiz, assignment_pupil__in=links.values())
        .values_list("assignment_pupil__assignment_id", flat=True)
    )
    for assignment in assignments:
        link = links.get(assignment.pk) or AssignmentPupil(assignment=assignment, pupil=pupil)
        policy = policy_resolve(quiz=quiz, link=link)
        if policy.answers_timing == AnswersTiming.NEVER:
            return True
        if policy.answers_timing == AnswersTiming.AFTER_DUE and policy.due_at is not None:
            if now <= policy.due_at:
                return True
        elif assignment.pk not in submitted:
            return True
    return False


def can_practise_quiz(user, quiz: Quiz, now=None) -> bool:
    """Outside an assignment: only a quiz an editor opened for practice, and not while a class
    of the pupil's keeps its answers back (see `practice_blocked`)."""
    return bool(
        can_take_quiz(user, quiz)
        and quiz.open_for_practice
        and not practice_blocked(pupil=user, quiz=quiz, now=now)
    )


def can_read_quiz(user, quiz: Quiz, now=None) -> bool:
    """Questions and choices (never the key) outside an attempt: teachers and editors; pupils
    for a quiz they are assigned (opening later included), or may practise."""
    if not (user.is_authenticated and user.is_active and quiz.live):
        return False
    if not user.is_pupil:
        return user.can_see_teacher_material
    return bool(
        pupil_links_for_quiz(pupil=user, quiz=quiz, now=now, upcoming=True)
        or can_practise_quiz(user, quiz, now=now)
    )


def can_view_attempt(user, attempt: Attempt) -> bool:
    """The pupil who made it, and teachers of the class it was assigned in."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_pupil:
        return attempt.pupil_id == user.pk
    if user.is_verified_teacher and attempt.assignment_pupil_id:
        return can_manage_classroom(user, attempt.assignment_pupil.assignment.classroom)
    return False


def can_view_class_results(user, classroom) -> bool:
    """Gradebook, results, item analysis and exports: the class's teachers."""
    return bool(
        user.is_authenticated and user.is_verified_teacher and can_manage_classroom(user, classroom)
    )


def can_mark_answers(user, classroom) -> bool:
    """Marking open responses, typing paper marks and regrading a class's attempts."""
    return can_view_class_results(user, classroom)


def can_regrade_quiz(user) -> bool:
    """Regrading every attempt of a quiz (after an editor corrected a question)."""
    return bool(user.is_authenticated and user.is_active and user.is_editor)
