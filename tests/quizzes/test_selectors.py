"""What other apps use: quiz_for_page, the lesson's quiz slot, My work statuses, paper options."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from reelearn.quizzes import attempts
from reelearn.quizzes.models import Question
from reelearn.quizzes.pages import quiz_for_page
from reelearn.quizzes.selectors import quizzes_for_pupil_assignments

from .factories import assign, link_for, make_class, make_quiz

Kind = Question.Kind


def test_quiz_for_page_falls_back_to_the_module_tier(curriculum):
    lesson1, lesson2 = curriculum["lessons"]["t1"]
    tier_page = curriculum["tier_pages"]["t1"]
    assert quiz_for_page(lesson1) is None
    module_quiz = make_quiz(tier_page, title="Module quiz")
    assert quiz_for_page(lesson1) == module_quiz
    own = make_quiz(lesson2, title="Lesson quiz")
    assert quiz_for_page(lesson2) == own
    assert quiz_for_page(tier_page) == module_quiz
    make_quiz(curriculum["lessons"]["t3"][0], publish=False)
    assert quiz_for_page(curriculum["lessons"]["t3"][0]) is None  # drafts are not shown


def test_lesson_page_shows_the_quiz_slot_to_everyone_alike(client, pupil, curriculum):
    lesson = curriculum["lessons"]["t1"][1]
    before = client.get(lesson.url).content.decode()
    assert "will appear here" in before
    quiz = make_quiz(
        curriculum["tier_pages"]["t1"], title="Meet the family quiz", time_limit_minutes=15
    )
    anonymous = client.get(lesson.url).content.decode()  # publishing refreshed the cache
    assert "Meet the family quiz" in anonymous and "8 questions" in anonymous
    assert "15 minute time limit" in anonymous
    assert reverse("quizzes:quiz", args=[quiz.pk]) in anonymous
    client.force_login(pupil)
    as_pupil = client.get(lesson.url).content.decode()
    assert reverse("quizzes:quiz", args=[quiz.pk]) in as_pupil
    quiz.title = "Renamed quiz"
    quiz.save_revision().publish()
    client.logout()
    assert "Renamed quiz" in client.get(lesson.url).content.decode()


def test_quiz_slot_tag_renders_without_a_user(curriculum):
    quiz = make_quiz(curriculum["lessons"]["t1"][0])
    html = Template("{% load quizzes_tags %}{% quiz_slot page value %}").render(
        Context({"page": curriculum["lessons"]["t1"][0], "value": {"heading": "Test yourself"}})
    )
    assert "Test yourself" in html and quiz.title in html


def test_my_work_statuses(teacher, pupil, other_pupil, curriculum, django_assert_num_queries):
    tier_page = curriculum["tier_pages"]["t1"]
    lesson1, lesson2 = curriculum["lessons"]["t1"]
    q1 = make_quiz(
        lesson1, title="Quiz one", kinds=[Kind.TRUE_FALSE], answers_timing="after_submit"
    )
    q2 = make_quiz(lesson2, title="Quiz two", kinds=[Kind.TRUE_FALSE], feedback_timing="after_due")
    classroom = make_class(teacher, [pupil, other_pupil])
    module = assign(classroom, tier_page, [pupil])
    single = assign(classroom, lesson1, [pupil, other_pupil])
    links = [link_for(module, pupil), link_for(single, pupil)]
    attempt, _ = attempts.attempt_start(quiz=q1, pupil=pupil, link=links[0])
    attempts.attempt_submit(attempt=attempt)
    attempts.attempt_start(quiz=q2, pupil=pupil, link=links[0])
    with django_assert_num_queries(3):  # pages, quizzes with point totals, attempts
        statuses = quizzes_for_pupil_assignments(pupil=pupil, links=links)
    module_row = {s.title: s for s in statuses[links[0].pk]}
    assert set(module_row) == {"Quiz one", "Quiz two"}
    assert module_row["Quiz one"].status == "submitted" and module_row["Quiz one"].score == 0
    assert module_row["Quiz one"].url == f"/my-work/quizzes/{q1.pk}/?link={links[0].pk}"
    assert module_row["Quiz two"].status == "in_progress"
    assert [s.status for s in statuses[links[1].pk]] == ["not_started"]
    # Someone else's links are ignored.
    assert quizzes_for_pupil_assignments(pupil=pupil, links=[link_for(single, other_pupil)]) == {}


def test_score_hidden_until_feedback_shows(teacher, pupil, curriculum):
    import datetime as dt

    from django.utils import timezone

    lesson = curriculum["lessons"]["t1"][0]
    quiz = make_quiz(
        lesson, kinds=[Kind.TRUE_FALSE], feedback_timing="after_due", answers_timing="after_due"
    )
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, lesson, [pupil], due_at=timezone.now() + dt.timedelta(days=1))
    link = link_for(assignment, pupil)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    attempts.attempt_submit(attempt=attempt)
    (status,) = quizzes_for_pupil_assignments(pupil=pupil, links=[link])[link.pk]
    assert status.status == "submitted" and status.score is None and status.percent is None


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (Kind.SINGLE, "Seventeen"),
        (Kind.MULTIPLE, "Neodymium; Dysprosium"),
        (Kind.TRUE_FALSE, "True"),
        (Kind.SHORT_TEXT, "Neodymium / Nd"),
        (Kind.NUMERIC, "120 ± 0.5 times"),
        (Kind.ORDERING, "mine → separate → make metal → make magnet"),
        (Kind.MATCHING, "Neodymium – Magnets; Europium – Red light; Cerium – Polishing glass"),
        (Kind.OPEN, "MARKING-GUIDE-SECRET"),
    ],
)
def test_answer_key_text_and_paper_options(lesson, kind, key):
    quiz = make_quiz(lesson, kinds=[kind])
    question = quiz.questions.get()
    assert question.answer_key_text() == key
    options = question.paper_options("printing-1")
    assert set(options) == {"choices", "items", "left", "right", "unit"}
    assert options == question.paper_options("printing-1")  # one printing, one order
    text = str(options)
    for secret in ("True, True", "is_correct"):
        assert secret not in text
    if kind == Kind.ORDERING:
        assert sorted(options["items"]) == sorted(key.split(" → "))
        orders = {tuple(question.paper_options(f"printing-{n}")["items"]) for n in range(12)}
        assert len(orders) > 1  # the order follows the printing (and the secret key)
    if kind == Kind.MATCHING:
        assert options["left"] == ["Neodymium", "Europium", "Cerium"]
        assert sorted(options["right"]) == ["Magnets", "Polishing glass", "Red light"]
        orders = {tuple(question.paper_options(f"printing-{n}")["right"]) for n in range(12)}
        assert len(orders) > 1
    if kind == Kind.TRUE_FALSE:
        assert options["choices"] == ["True", "False"]


def test_attempts_visible_to(teacher, other_teacher, pupil, other_pupil, editor, curriculum):
    from reelearn.quizzes.models import Attempt

    lesson = curriculum["lessons"]["t1"][0]
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE])
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, lesson, [pupil])
    mine, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link_for(assignment, pupil))
    theirs, _ = attempts.attempt_start(quiz=quiz, pupil=other_pupil)  # practice, no class
    assert list(Attempt.objects.visible_to(pupil)) == [mine]
    assert list(Attempt.objects.visible_to(other_pupil)) == [theirs]
    assert list(Attempt.objects.visible_to(teacher)) == [mine]
    assert not Attempt.objects.visible_to(other_teacher).exists()
    assert not Attempt.objects.visible_to(editor).exists()
