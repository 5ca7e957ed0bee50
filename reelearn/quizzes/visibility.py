"""When a pupil may see feedback and correct answers: the single place that decides.

Feedback means marks (right/wrong, points) and the feedback written for the choices the pupil
picked. Correct answers mean the key and the explanation. Both follow the resolved policy:

| setting            | while the attempt is open          | once submitted                 |
|--------------------|------------------------------------|--------------------------------|
| feedback immediate | for each question the pupil checked | yes                            |
| feedback after submit | no                              | yes                            |
| feedback after due | no                                  | once the due date has passed   |
| answers never      | no                                  | no                             |
| answers after submit | no                                | yes                            |
| answers after due  | no                                  | once the due date has passed   |

Without a due date (practice outside an assignment) "after the due date" means after submitting.
Showing correct answers implies showing feedback.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .models import AnswersTiming, Attempt, FeedbackTiming
from .policy import QuizPolicy


@dataclass(frozen=True)
class Visibility:
    feedback: bool  # marks and choice feedback for the whole attempt
    answers: bool  # the key and explanations
    checked_feedback: bool  # feedback on questions the pupil checked (immediate mode)


def _due_passed(policy: QuizPolicy, now) -> bool:
    return policy.due_at is None or now > policy.due_at


def attempt_visibility(*, attempt: Attempt, policy: QuizPolicy, now=None) -> Visibility:
    now = now or timezone.now()
    immediate = policy.feedback_timing == FeedbackTiming.IMMEDIATE
    if attempt.status != Attempt.Status.SUBMITTED:
        return Visibility(feedback=False, answers=False, checked_feedback=immediate)
    if policy.feedback_timing == FeedbackTiming.AFTER_DUE:
        feedback = _due_passed(policy, now)
    else:
        feedback = True
    if policy.answers_timing == AnswersTiming.NEVER:
        answers = False
    elif policy.answers_timing == AnswersTiming.AFTER_SUBMIT:
        answers = True
    else:
        answers = _due_passed(policy, now)
    return Visibility(
        feedback=feedback or answers,
        answers=answers,
        checked_feedback=immediate or feedback or answers,
    )
