"""Editors author quizzes in the Wagtail admin: every question type, nested choices, preview,
validation of the key, and the regrade action."""

from __future__ import annotations

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from reelearn.quizzes import attempts
from reelearn.quizzes.models import Answer, Question, Quiz

from .factories import make_quiz

Kind = Question.Kind


def question(kind, prompt, *, choices=(), **fields):
    data = {
        "kind": kind,
        "points": fields.pop("points", 1),
        "prompt": rich_text(prompt),
        "image": "",
        "image_alt": "",
        "hint": "",
        "explanation": "Because.",
        "answer_bool": "",
        "accepted_answers": "",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "unit": "",
        "marking_guide": "",
        "choices": inline_formset(
            [
                {
                    "text": c[0],
                    "is_correct": c[1],
                    "match_text": c[2] if len(c) > 2 else "",
                    "feedback": "",
                }
                for c in choices
            ]
        ),
    }
    data.update(fields)
    return data


def quiz_form(page, questions, title="Authored quiz"):
    return nested_form_data(
        {
            "title": title,
            "page": page.pk,
            "intro": "",
            "attempts_allowed": 2,
            "grading_method": "highest",
            "time_limit_minutes": "",
            "shuffle_questions": "",
            "shuffle_choices": "on",
            "feedback_timing": "after_submit",
            "answers_timing": "after_submit",
            "questions": inline_formset(questions),
        }
    )


EVERY_TYPE = [
    question("single", "How many REEs?", choices=[("17", True), ("5", False)]),
    question("multiple", "Which are REEs?", choices=[("Nd", True), ("Dy", True), ("Fe", False)]),
    question("true_false", "Cerium is common.", answer_bool="true"),
    question("short_text", "Name the magnet metal.", accepted_answers="neodymium\nNd"),
    question("numeric", "Ratio?", numeric_answer="120", numeric_tolerance="1", unit="times"),
    question("ordering", "Order the steps.", choices=[("mine", False), ("separate", False)]),
    question("matching", "Match.", choices=[("Nd", False, "magnets"), ("Eu", False, "red")]),
    question("open", "Why does it matter?", points=4, marking_guide="Two reasons."),
]


def test_editor_authors_and_publishes_every_question_type(client, editor, lesson):
    client.force_login(editor)
    add = reverse("wagtailsnippets_quizzes_quiz:add")
    assert client.get(add).status_code == 200
    data = quiz_form(lesson, EVERY_TYPE)
    data["action-publish"] = "action-publish"
    response = client.post(add, data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    quiz = Quiz.objects.get(title="Authored quiz")
    assert quiz.live and quiz.page_id == lesson.pk
    kinds = list(quiz.questions.values_list("kind", flat=True))
    assert kinds == [q["kind"] for q in EVERY_TYPE]
    matching = quiz.questions.get(kind=Kind.MATCHING)
    assert [(c.text, c.match_text) for c in matching.choices.all()] == [
        ("Nd", "magnets"),
        ("Eu", "red"),
    ]
    assert quiz.questions.get(kind=Kind.NUMERIC).answer_key_text() == "120 ± 1 times"
    # The lesson shows it in place.
    assert "Authored quiz" in client.get(lesson.url).content.decode()


def test_inconsistent_keys_are_refused_with_the_reason(client, editor, lesson):
    client.force_login(editor)
    bad = [
        question("single", "Two right?", choices=[("a", True), ("b", True)]),
        question("true_false", "No key"),
        question("matching", "Half pairs", choices=[("Nd", False, "x"), ("Eu", False, "")]),
    ]
    response = client.post(reverse("wagtailsnippets_quizzes_quiz:add"), quiz_form(lesson, bad))
    assert response.status_code == 200
    html = response.content.decode()
    assert "exactly one of them correct" in html
    assert "Say whether the statement is true or false" in html
    assert "each with the text it matches" in html
    assert not Quiz.objects.exists()


def test_quiz_must_belong_to_a_lesson_or_module_tier(client, editor, curriculum):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_quizzes_quiz:add"), quiz_form(curriculum["module"], EVERY_TYPE[:1])
    )
    assert response.status_code == 200
    assert "Attach the quiz to a lesson" in response.content.decode()


def test_answered_questions_cannot_be_deleted(client, editor, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE, Kind.SHORT_TEXT])
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    tf = quiz.questions.get(kind=Kind.TRUE_FALSE)
    Answer.objects.create(attempt=attempt, question=tf, response={"value": True})
    client.force_login(editor)
    edit = reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk])
    questions = []
    for q in quiz.questions.all():
        item = question(
            q.kind,
            q.prompt_text,
            answer_bool="true" if q.answer_bool else "",
            accepted_answers=q.accepted_answers,
            id=q.pk,
        )
        if q.pk == tf.pk:
            item["DELETE"] = "on"
        questions.append(item)
    data = quiz_form(lesson, questions, title=quiz.title)
    data["questions-INITIAL_FORMS"] = str(len(questions))
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert quiz.questions.filter(pk=tf.pk).exists()


def test_preview_shows_questions_and_key_to_editors(client, editor, lesson):
    quiz = make_quiz(lesson)
    client.force_login(editor)
    url = reverse("wagtailsnippets_quizzes_quiz:preview_on_edit", args=[quiz.pk])
    data = quiz_form(lesson, EVERY_TYPE)
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "Order the steps." in html and "Key:" in html and "120 ± 1 times" in html


def test_regrade_action_in_the_admin(client, editor, pupil, lesson, teacher):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE])
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    Answer.objects.create(attempt=attempt, question=quiz.questions.get(), response={"value": False})
    attempts.attempt_submit(attempt=attempt)
    Question.objects.filter(quiz=quiz).update(answer_bool=False)  # the key was wrong
    url = reverse("wagtailsnippets_quizzes_quiz:regrade", args=[quiz.pk])
    client.force_login(teacher)
    assert client.post(url).status_code in (302, 403)  # teachers have no admin access
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_quizzes_quiz:list")).content.decode()
    assert url in listing
    assert "1 submitted attempt" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "1 attempts changed" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 1
