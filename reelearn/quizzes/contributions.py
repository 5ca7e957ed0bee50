"""What quizzes add to classroom's pages and exports (registered in QuizzesConfig.ready)."""

from __future__ import annotations

from reelearn.classroom.contributions import WorkItem

from .models import Answer, Attempt
from .selectors import quizzes_for_pupil_assignments


def assignment_quizzes(*, pupil, links) -> dict[int, list[WorkItem]]:
    """Each assignment link's quizzes with their status and the score the pupil may see."""
    return {
        link_id: [
            WorkItem(title=q.title, url=q.url, status=q.status_label, percent=q.percent)
            for q in quizzes
        ]
        for link_id, quizzes in quizzes_for_pupil_assignments(pupil=pupil, links=links).items()
    }


def class_export_rows(*, classroom, pupil_ids: list[int]) -> dict[str, list[dict]]:
    """Attempts and answers these pupils made in this class's assignments: not their
    practice, nor their work in any other class."""
    attempts = Attempt.objects.filter(
        pupil_id__in=pupil_ids, assignment_pupil__assignment__classroom=classroom
    )
    return {
        "quiz_attempts": list(attempts.values()),
        "quiz_answers": list(Answer.objects.filter(attempt__in=attempts).values()),
    }
