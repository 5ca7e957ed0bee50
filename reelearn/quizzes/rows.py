"""The reads of a pupil's quiz requests (start, autosave, submit), compiled once.

Each is an ordinary queryset, compiled to SQL once per database connection and run again with
other ids (reelearn.core.db.prepared): on these paths compiling a query cost several times what
running it did. Their rows become model instances as the ORM would make them. Anything that is
not an id (the live quiz's rule, say) comes from the querysets' own methods, so those stay the
one place their rules are written.
"""

from __future__ import annotations

from reelearn.classroom.models import Assignment, AssignmentPupil
from reelearn.core.db.prepared import PreparedQuery, field_names, instances

from .models import Answer, Attempt, Quiz

_LIVE_QUIZ = PreparedQuery(
    lambda quiz_id: (
        Quiz.objects.live()
        .filter(pk=quiz_id)
        .order_by()
        .values_list(*field_names(Quiz), "page__path")
    )
)


def live_quiz(quiz_id: int) -> Quiz:
    """A live quiz, with its page's path as `page_path`. Quiz.DoesNotExist if there is none."""
    rows = _LIVE_QUIZ.rows(quiz_id)
    if not rows:
        raise Quiz.DoesNotExist
    (quiz,) = instances(rows[0], Quiz)
    quiz.page_path = rows[0][-1]
    return quiz


_PUPIL_LINK = PreparedQuery(
    lambda link_id, pupil_id: (
        AssignmentPupil.objects.filter(pk=link_id, pupil_id=pupil_id)
        .order_by()
        .values_list(
            *field_names(AssignmentPupil),
            *field_names(Assignment, "assignment__"),
            "assignment__page__path",
        )
    )
)


def pupil_link(*, link_id: int, pupil_id: int) -> AssignmentPupil:
    """The pupil's own assignment link with its assignment, and the assignment's page path as
    `page_path`. AssignmentPupil.DoesNotExist if it is not theirs."""
    rows = _PUPIL_LINK.rows(link_id, pupil_id)
    if not rows:
        raise AssignmentPupil.DoesNotExist
    link, assignment = instances(rows[0], AssignmentPupil, Assignment)
    link.assignment = assignment
    link.page_path = rows[0][-1]
    return link


def _attempt_with_relations(attempts):
    return (
        attempts.select_for_update(of=("self",))
        .order_by()
        .values_list(
            *field_names(Attempt),
            *field_names(Quiz, "quiz__"),
            *field_names(AssignmentPupil, "assignment_pupil__"),
            *field_names(Assignment, "assignment_pupil__assignment__"),
        )
    )


_ATTEMPT_LOCKED = PreparedQuery(
    lambda attempt_id: _attempt_with_relations(Attempt.objects.filter(pk=attempt_id))
)
_PUPIL_ATTEMPT_LOCKED = PreparedQuery(
    lambda attempt_id, pupil_id: _attempt_with_relations(
        Attempt.objects.filter(pk=attempt_id, pupil_id=pupil_id)
    )
)


def attempt_locked(attempt_id: int, *, pupil_id: int | None = None) -> Attempt:
    """The attempt, row-locked (SELECT … FOR UPDATE OF the attempt: call it in a transaction),
    with its quiz, assignment link and assignment; with `pupil_id`, only that pupil's.
    Attempt.DoesNotExist if there is none."""
    if pupil_id is None:
        rows = _ATTEMPT_LOCKED.rows(attempt_id)
    else:
        rows = _PUPIL_ATTEMPT_LOCKED.rows(attempt_id, pupil_id)
    if not rows:
        raise Attempt.DoesNotExist
    attempt, quiz, link, assignment = instances(rows[0], Attempt, Quiz, AssignmentPupil, Assignment)
    attempt.quiz = quiz
    attempt.assignment_pupil = link
    if link is not None:
        link.assignment = assignment
    return attempt


_ANSWERS = PreparedQuery(
    lambda attempt_id: (
        Answer.objects.filter(attempt_id=attempt_id).order_by().values_list(*field_names(Answer))
    )
)


def attempt_answers(attempt_id: int) -> list[Answer]:
    """The attempt's stored answers, in no particular order."""
    return [instances(row, Answer)[0] for row in _ANSWERS.rows(attempt_id)]


# What starting needs of a pupil's earlier attempts at a quiz: numbers, which one is open.
BRIEF_FIELDS = (
    "id",
    "quiz_id",
    "pupil_id",
    "assignment_pupil_id",
    "number",
    "status",
    "deadline_at",
)
_PUPIL_QUIZ_ATTEMPTS = PreparedQuery(
    lambda pupil_id, quiz_id: (
        Attempt.objects.filter(pupil_id=pupil_id, quiz_id=quiz_id)
        .order_by()
        .values_list(*BRIEF_FIELDS)
    )
)


def pupil_quiz_attempts(*, pupil_id: int, quiz_id: int) -> list[Attempt]:
    """The pupil's attempts at the quiz (every assignment and practice), with BRIEF_FIELDS only
    (the others are deferred: reading one is a query)."""
    return [
        Attempt.from_db("default", BRIEF_FIELDS, row)
        for row in _PUPIL_QUIZ_ATTEMPTS.rows(pupil_id, quiz_id)
    ]


_ATTEMPT_KEY = PreparedQuery(
    lambda attempt_id, pupil_id: (
        Attempt.objects.filter(pk=attempt_id, pupil_id=pupil_id)
        .order_by()
        .values_list("quiz_id", "seed", "quiz__updated_at")
    )
)


def attempt_key(attempt_id: int, pupil_id: int) -> tuple[int, int, object]:
    """(quiz id, seed, the quiz's version) of the pupil's own attempt; Attempt.DoesNotExist if
    it is not theirs."""
    rows = _ATTEMPT_KEY.rows(attempt_id, pupil_id)
    if not rows:
        raise Attempt.DoesNotExist
    return rows[0]
