"""Zawgyi-encoded Burmese is refused in what editors write in a quiz (down to a choice), and
kept as typed in what pupils answer."""

from __future__ import annotations

from django.urls import reverse

from reelearn.quizzes.models import Answer, Question, Quiz

from ..lessons.test_zawgyi import MESSAGE, UNICODE, ZAWGYI
from .test_admin import question, quiz_form
from .test_pupil_views import form_data, questions, start

Kind = Question.Kind


def single_choice(text: str) -> list[dict]:
    choices = [(text, True), ("Cornwall", False)]
    return [question("single", "Where are they mined?", choices=choices)]


def test_the_quiz_admin_refuses_a_zawgyi_choice(client, editor, lesson):
    client.force_login(editor)
    add = reverse("wagtailsnippets_quizzes_quiz:add")
    response = client.post(add, quiz_form(lesson, single_choice(ZAWGYI)))
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    choices = response.context["form"].formsets["questions"].forms[0].formsets["choices"]
    assert MESSAGE in choices.forms[0].errors["text"][0]  # on the choice itself
    assert not Quiz.objects.exists()

    assert client.post(add, quiz_form(lesson, single_choice(UNICODE))).status_code == 302
    assert Quiz.objects.get().questions.get().choices.filter(text=UNICODE).exists()


def test_a_pupil_s_answer_in_zawgyi_is_kept_as_typed(client, pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    open_question = questions(quiz)[Kind.OPEN]
    data = form_data(attempt, {open_question: ZAWGYI})
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302
    answer = Answer.objects.get(attempt=attempt, question=open_question)
    assert ZAWGYI in str(answer.response)
