"""Quiz API shapes. Input serializers validate; output is built from the quizzes selectors'
dataclasses, so keys and feedback appear only where `attempt_visibility` put them."""

from __future__ import annotations

import math
from decimal import Decimal

from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from reelearn.core.converters import MAX_ID
from reelearn.quizzes.answers import SaveResult
from reelearn.quizzes.models import MAX_TEXT_ANSWER, Attempt, Quiz
from reelearn.quizzes.policy import QuizPolicy
from reelearn.quizzes.presentation import AttemptDetail, QuestionView
from reelearn.quizzes.selectors import quiz_pupil_url

# --- Input ----------------------------------------------------------------------------------


class AttemptStartInput(serializers.Serializer):
    assignment_pupil = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The pupil's assignment link, if any.",
    )


MAX_REVISION = 2**62
MAX_RESPONSE_CHARS = MAX_TEXT_ANSWER + 2000  # the text, and room for the shape around it


class AnswerSaveInput(serializers.Serializer):
    response = serializers.JSONField(
        allow_null=True,
        help_text=(
            "single {choice: token}; multiple {choices: [token]}; true_false {value: bool}; "
            "short_text/open {text}; numeric {value}; ordering {order: [token]}; "
            "matching {pairs: {left token: right token}}; null clears."
        ),
    )
    revision = serializers.IntegerField(
        min_value=0,
        max_value=MAX_REVISION,
        help_text="Client revision (e.g. milliseconds); a save "
        "not newer than the stored one is ignored.",
    )
    check = serializers.BooleanField(
        required=False, default=False, help_text="Check and lock (immediate-feedback quizzes)."
    )

    def validate_response(self, value):
        return response_size_checked(value)

    @staticmethod
    def plainly_valid(data) -> dict | None:
        """validated_data for the shape every autosave sends (an object or null, an integer
        revision in range, `check` a boolean or absent), without building the serializer's
        fields: the autosave is the API's commonest call. None for anything else, which the
        serializer then validates (and words the errors of)."""
        if type(data) is not dict or not data.keys() <= {"response", "revision", "check"}:
            return None
        response, revision = data.get("response"), data.get("revision")
        check = data.get("check", False)
        if (
            type(revision) is not int
            or not 0 <= revision <= MAX_REVISION
            or type(check) is not bool
            or "response" not in data
            or (
                response is not None
                and (
                    type(response) is not dict
                    or len(str(response)) > MAX_RESPONSE_CHARS
                    or not _finite(response)
                )
            )
        ):
            return None
        return {"response": response, "revision": revision, "check": check}


def response_size_checked(value):
    if value is not None and len(str(value)) > MAX_RESPONSE_CHARS:
        raise serializers.ValidationError(
            f"An answer can be at most {MAX_TEXT_ANSWER:,} characters long."
        )
    return value


def _finite(value) -> bool:
    """No infinity or NaN anywhere (JSONField refuses them; the JSON parser never sends them,
    but the quick check must not accept what the serializer refuses)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


MAX_BATCH = 200  # answers in one batch: a long quiz's worth, twice over


class BatchAnswerInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Question id.")
    response = serializers.JSONField(
        allow_null=True, help_text="As for a single autosave (its shapes); null clears."
    )
    revision = serializers.IntegerField(
        min_value=0,
        max_value=MAX_REVISION,
        help_text="Client revision of this answer; not newer than the stored one → stale.",
    )

    def validate_response(self, value):
        return response_size_checked(value)


class AnswersSaveInput(serializers.Serializer):
    answers = BatchAnswerInput(
        many=True,
        allow_empty=False,
        max_length=MAX_BATCH,
        help_text="Answers in the order they were given; a question may come more than once.",
    )


class BatchAnswerResult(serializers.Serializer):
    """Documents one answer's result (the view builds it; nothing is validated)."""

    question = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=["saved", "stale", "locked", "invalid"],
        help_text="saved; stale: this revision or a newer one is stored already (nothing to "
        "send again); locked: checked, cannot change; invalid: see `errors`.",
    )
    revision = serializers.IntegerField(
        allow_null=True, help_text="The revision stored now (null when none is)."
    )
    saved_at = serializers.DateTimeField(allow_null=True)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for invalid answers: messages by field (question, response).",
    )


class AnswersSaveResult(serializers.Serializer):
    attempt = serializers.IntegerField()
    results = BatchAnswerResult(many=True, help_text="One per answer sent, in the same order.")


class AttemptSubmitInput(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text="Last answers by question id (optional).",
    )

    def validate_answers(self, value):
        if len(value) > 500:
            raise serializers.ValidationError("Too many answers.")
        return value


class MarkInput(serializers.Serializer):
    score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal(0))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_ANSWER)


class PaperMarksInput(serializers.Serializer):
    assignment = serializers.IntegerField(min_value=1)
    marks = serializers.DictField(
        child=serializers.DictField(
            child=serializers.CharField(allow_blank=True, allow_null=True, max_length=20)
        ),
        help_text="{assignment_pupil id: {question id: points or blank}}",
    )


# --- Output ---------------------------------------------------------------------------------


def settings_data(policy: QuizPolicy) -> dict:
    return {
        "attempts_allowed": policy.attempts_allowed,
        "grading_method": policy.grading_method,
        "time_limit_minutes": policy.time_limit_minutes,
        "feedback_timing": policy.feedback_timing,
        "answers_timing": policy.answers_timing,
        "due_at": policy.due_at.isoformat() if policy.due_at else None,
    }


def _image(question) -> dict | None:
    if not question.image_id:
        return None
    rendition = question.image.get_rendition("max-800x600")
    return {"url": rendition.url, "alt": question.image_alt}


def _options(options) -> list[dict]:
    return [{"value": o.value, "text": o.text} for o in options]


def question_data(view: QuestionView) -> dict:
    question = view.question
    data = {
        "id": question.pk,
        "number": view.number,
        "kind": question.kind,
        "prompt": expand_db_html(question.prompt),
        "image": _image(question),
        "points": question.points,
        "hint": question.hint,
        "unit": question.unit,
        "options": _options(view.options),
        "items": _options(view.items),
        "left": _options(view.lefts),
        "right": _options(view.rights),
        "response": view.response,
        "revision": view.revision,
        "locked": view.locked,
    }
    if view.show_feedback:
        data["feedback"] = {
            "is_correct": view.is_correct,
            "score": view.score,
            "needs_marking": view.needs_marking,
            "messages": view.feedback,
            "comment": view.comment,
        }
    if view.show_key:
        data["key"] = {
            "text": view.key_text,
            "explanation": view.explanation,
            "correct_options": [o.value for o in view.options if o.is_correct],
        }
    return data


def attempt_data(detail: AttemptDetail) -> dict:
    attempt = detail.attempt
    data = {
        "id": attempt.pk,
        "quiz": {"id": attempt.quiz_id, "title": attempt.quiz.title},
        "number": attempt.number,
        "status": attempt.status,
        "source": attempt.source,
        "assignment_pupil": attempt.assignment_pupil_id,
        "started_at": attempt.started_at,
        "deadline_at": attempt.deadline_at,
        "seconds_left": attempt.seconds_left() if attempt.is_open else None,
        "submitted_at": attempt.submitted_at,
        "timed_out": attempt.timed_out,
        "settings": settings_data(detail.policy),
        "questions": [question_data(q) for q in detail.questions],
    }
    if attempt.status == Attempt.Status.SUBMITTED:
        data["result"] = result_summary(detail)
    return data


def result_summary(detail: AttemptDetail) -> dict:
    attempt, visible = detail.attempt, detail.visibility
    return {
        "attempt": attempt.pk,
        "status": attempt.status,
        "submitted_at": attempt.submitted_at,
        "timed_out": attempt.timed_out,
        "feedback_visible": visible.feedback,
        "answers_visible": visible.answers,
        "score": attempt.score if visible.feedback else None,
        "max_score": attempt.max_score,
        "percent": attempt.percent if visible.feedback else None,
        "needs_marking": attempt.needs_marking if visible.feedback else None,
    }


def result_data(detail: AttemptDetail) -> dict:
    return {**result_summary(detail), "questions": [question_data(q) for q in detail.questions]}


def quiz_data(quiz: Quiz, policy: QuizPolicy, views: list[QuestionView]) -> dict:
    return {
        "id": quiz.pk,
        "title": quiz.title,
        "intro": quiz.intro,
        "page": quiz.page_id,
        "url": quiz_pupil_url(quiz.pk),
        "settings": settings_data(policy),
        "questions": [question_data(v) for v in views],
    }


def batch_result_data(result: SaveResult, revision: int) -> dict:
    """One answer of a batch: `revision` is the one sent with it."""
    answer = result.answer
    data = {
        "question": result.question_id,
        "status": result.outcome,
        "revision": answer.revision if answer else (revision if result.applied else None),
        "saved_at": answer.saved_at if answer else None,
    }
    if result.error is not None:
        data["errors"] = result.error.message_dict
    return data
