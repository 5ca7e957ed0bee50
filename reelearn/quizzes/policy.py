"""Quiz settings resolution: quiz defaults ← Assignment.quiz_settings ← per-pupil adjustments.

`Assignment.quiz_settings` is a JSON object using the keys of `POLICY_KEYS` (the same names as
the Quiz fields). `policy_clean` validates one for forms and the API of the classroom app;
`policy_resolve` is the one place the effective settings are computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AnswersTiming, FeedbackTiming, GradingMethod, Quiz

POLICY_KEYS = (
    "attempts_allowed",
    "grading_method",
    "time_limit_minutes",
    "shuffle_questions",
    "shuffle_choices",
    "feedback_timing",
    "answers_timing",
)


@dataclass(frozen=True)
class QuizPolicy:
    attempts_allowed: int  # 0: unlimited
    grading_method: str
    time_limit_minutes: int | None  # extra time included
    shuffle_questions: bool
    shuffle_choices: bool
    feedback_timing: str
    answers_timing: str
    due_at: datetime | None

    @property
    def time_limit(self) -> timedelta | None:
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None

    def attempts_left(self, used: int) -> int | None:
        """None when unlimited."""
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - used)

    def is_past_due(self, now=None) -> bool:
        return self.due_at is not None and (now or timezone.now()) > self.due_at


def _int(value, key: str, *, minimum: int, maximum: int, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError(
            {
                key: [
                    _("Enter a whole number from %(min)s to %(max)s.")
                    % {"min": minimum, "max": maximum}
                ]
            }
        )
    return value


def policy_clean(data) -> dict:
    """Validate an assignment's quiz settings; unknown keys and bad values name the key."""
    if not isinstance(data, dict):
        raise ValidationError({"quiz_settings": [_("Quiz settings must be an object.")]})
    unknown = sorted(set(data) - set(POLICY_KEYS))
    if unknown:
        raise ValidationError(
            {
                "quiz_settings": [
                    _("Unknown quiz settings: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
                ]
            }
        )
    clean: dict = {}
    for key, value in data.items():
        if key == "attempts_allowed":
            clean[key] = _int(value, key, minimum=0, maximum=50)
        elif key == "time_limit_minutes":
            clean[key] = _int(value, key, minimum=1, maximum=600, allow_none=True)
        elif key in ("shuffle_questions", "shuffle_choices"):
            if not isinstance(value, bool):
                raise ValidationError({key: [_("Choose yes or no.")]})
            clean[key] = value
        else:
            allowed = {
                "grading_method": GradingMethod,
                "feedback_timing": FeedbackTiming,
                "answers_timing": AnswersTiming,
            }[key]
            if value not in allowed.values:
                raise ValidationError(
                    {key: [_("Choose one of: %(values)s.") % {"values": ", ".join(allowed.values)}]}
                )
            clean[key] = value
    return clean


def policy_resolve(*, quiz: Quiz, link=None) -> QuizPolicy:
    """The settings that apply to one pupil taking `quiz`, optionally through an assignment.

    `link` is a classroom.AssignmentPupil (with its assignment loaded to avoid a query). Invalid
    values stored in an assignment are ignored key by key, so a bad edit never locks pupils out.
    """
    values = {key: getattr(quiz, key) for key in POLICY_KEYS}
    due_at = None
    if link is not None:
        for key, value in (link.assignment.quiz_settings or {}).items():
            try:
                values.update(policy_clean({key: value}))
            except ValidationError:
                continue
        if values["attempts_allowed"]:
            values["attempts_allowed"] += link.extra_attempts or 0
        if values["time_limit_minutes"] and link.extra_time_minutes:
            values["time_limit_minutes"] += link.extra_time_minutes
        due_at = link.due_at_override or link.assignment.due_at
    return QuizPolicy(**values, due_at=due_at)
