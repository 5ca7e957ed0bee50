"""What a quiz refuses to do, with a `code` that names it in API bodies."""

from __future__ import annotations

from .models import Attempt


class QuizError(Exception):
    """A request the quiz cannot honour; `code` names it in API bodies."""

    code = "quiz_error"

    def __init__(self, message: str, *, attempt: Attempt | None = None):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


class NotAvailable(QuizError):
    code = "not_available"


class NoAttemptsLeft(QuizError):
    code = "no_attempts_left"


class AttemptClosed(QuizError):
    code = "already_submitted"


class TimeUp(QuizError):
    code = "time_up"


class NothingAnswered(QuizError):
    """Handing in an attempt with no answer at all, without saying so on purpose."""

    code = "nothing_answered"
