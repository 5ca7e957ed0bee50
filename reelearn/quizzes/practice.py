"""Practising the questions a pupil missed, once the key is released to them.

Nothing is stored: a practice answer is graded (`scoring.grade`) and shown with the key, and the
attempt, its score and the teacher's results stay as they were. Before the key is released
there is no practice at all, so practising never tells a pupil anything the result page would
not (see `visibility.py`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .answer_shapes import client_response_from_form, response_from_client
from .models import Question, choice_token
from .presentation import AttemptDetail, QuestionView, credit_words, question_view
from .scoring import grade, parts


def practice_open(detail: AttemptDetail) -> bool:
    """Practice follows the key: only once the answers are released for this attempt."""
    return detail.visibility.answers and bool(missed(detail))


def missed(detail: AttemptDetail) -> list[QuestionView]:
    """The automatically marked questions the pupil did not get fully right."""
    return [
        view
        for view in detail.questions
        if view.question.is_auto_graded and view.outcome in ("partly", "wrong", "unanswered")
    ]


def practice_questions(detail: AttemptDetail, post=None) -> tuple[list[QuestionView], dict]:
    """The missed questions as blank practice questions, or (with `post`) graded with the key.

    Returns the views and the errors per question id (an answer in a shape the quiz refuses).
    """
    attempt = detail.attempt
    views, errors = [], {}
    for shown in missed(detail):
        question = shown.question
        view = question_view(
            question,
            shown.number,
            seed=attempt.seed,
            shuffle_choices=detail.policy.shuffle_choices,
        )
        views.append(view)
        if post is None or str(question.pk) not in post.getlist("shown"):
            continue
        choices = list(question.choices.all())
        try:
            client = client_response_from_form(question, post, choices=choices, seed=attempt.seed)
            stored = response_from_client(question, client, seed=attempt.seed, choices=choices)
        except ValidationError as error:
            errors[question.pk] = " ".join(error.message_dict.get("response", error.messages))
            continue
        view.response = client
        view.answered = bool(stored)
        result = grade(question, stored, choices)
        view.show_feedback = view.show_key = True
        view.is_correct, view.score = result.is_correct, result.score
        if stored and not result.is_correct:
            view.credit = credit_words(parts(question, stored, choices))
        view.key_text = question.answer_key_text()
        view.explanation = question.explanation
        _mark_options(view, question, choices, stored, attempt.seed)
    return views, errors


def _mark_options(view: QuestionView, question, choices, stored: dict, seed: int) -> None:
    """The key on each option, and the feedback written for the options picked."""
    by_token = {choice_token(seed, c.pk): c for c in choices}
    picked = set(stored.get("choices") or []) | {stored.get("choice")}
    for option in view.options:
        if question.kind == Question.Kind.TRUE_FALSE:
            option.is_correct = (option.value == "true") == bool(question.answer_bool)
            continue
        choice = by_token[option.value]
        option.is_correct = choice.is_correct
        if choice.pk in picked:
            option.feedback = choice.feedback
