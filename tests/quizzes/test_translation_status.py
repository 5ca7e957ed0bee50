"""A lesson's quiz in the translation status report (Reports → Translations)."""

from __future__ import annotations

import pytest

from reelearn.quizzes.models import Question, Quiz
from tests.lessons.test_translation_status import report, row_of, status, translate

from .factories import make_quiz

pytestmark = pytest.mark.django_db


def test_a_quiz_s_translation_goes_out_of_date_when_a_question_changes(
    client, editor, curriculum, django_capture_on_commit_callbacks
):
    lesson = curriculum["lessons"]["t1"][0]
    quiz = make_quiz(lesson, kinds=[Question.Kind.SINGLE, Question.Kind.SHORT_TEXT])
    translate(quiz, "pt", django_capture_on_commit_callbacks)
    client.force_login(editor)

    row = row_of(report(client), str(quiz))
    assert "attached" in row["class"]
    assert status(row, "pt") == "up_to_date"
    assert status(row, "my") == "missing"

    question = quiz.questions.get(kind=Question.Kind.SINGLE)
    question.prompt = "<p>How many rare earth elements are there?</p>"
    question.save()
    Quiz.objects.get(pk=quiz.pk).save_revision().publish()

    row = row_of(report(client), str(quiz))
    assert status(row, "pt") == "out_of_date"
    assert "How many rare earth elements are there?" in row.find("details").get_text()
    assert row.find("a", string="Sync translations") is not None
