"""Results a child can read (issue 19, item 6): which questions were right, partial credit in
words, points as fractions, and the authors' feedback for the options picked — never the key
before it is released."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from reelearn.quizzes.models import Question
from reelearn.quizzes.templatetags.quizzes_tags import points

from .factories import make_quiz
from .test_pupil_views import form_data, questions, start

Kind = Question.Kind


@pytest.mark.parametrize(
    ("value", "words"),
    [("3.75", "3¾"), ("0.25", "¼"), ("0.50", "½"), ("0.33", "⅓"), ("7.00", "7"), ("0.40", "0.4")],
)
def test_points_read_as_fractions(value, words):
    assert points(Decimal(value)) == words


def test_the_result_says_what_was_right_and_partial_credit_in_words(client, pupil, lesson):
    quiz = make_quiz(
        lesson, kinds=[Kind.SINGLE, Kind.MULTIPLE, Kind.ORDERING, Kind.MATCHING, Kind.SHORT_TEXT]
    )
    qs = questions(quiz)
    client.force_login(pupil)
    attempt = start(client, quiz)
    answers = {
        qs[Kind.SINGLE]: "Seventeen",
        qs[Kind.MULTIPLE]: ["Neodymium", "Iron"],
        qs[Kind.ORDERING]: ["separate", "mine", "make metal", "make magnet"],
        qs[Kind.MATCHING]: {
            "Neodymium": "Magnets",
            "Europium": "Polishing glass",
            "Cerium": "Red light",
        },
    }
    data = form_data(attempt, answers, action="submit")
    client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "You got 1 of 5 questions right." in html
    assert "2 partly right" in html and "1 not right" in html and "1 not answered" in html
    assert "2 of the 4 items are in the right place." in html
    assert "1 of the 3 pairs matched." in html
    assert "You found 1 of the 2 right answers, and chose 1 that is not right." in html
    assert "½ of 1 point" in html and "⅓ of 1 point" in html
    assert "Points: 1.8 out of 5" in html
    assert "3.75" not in html and "0.50" not in html
    assert "Iron is common." in html  # the authors' feedback on an option picked
    assert "FEEDBACK-RIGHT" in html
    assert "<title>Your result, attempt 1: Rare earths quiz (Ages 7–11) · REElearn</title>" in html


def test_a_quiz_title_names_the_quiz_and_its_ages(client, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE])
    client.force_login(pupil)
    page = client.get(reverse("quizzes:quiz", args=[quiz.pk])).content.decode()
    assert "<title>Rare earths quiz (Ages 7–11) · REElearn</title>" in page
    attempt = start(client, quiz)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "<title>Attempt 1: Rare earths quiz (Ages 7–11) · REElearn</title>" in page
