"""Teachers: gradebook, results, item analysis, CSV exports, marking, regrading, paper marks."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from reelearn.quizzes import attempts
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.models import Answer, Attempt, Question

from .factories import assign, link_for, make_class, make_quiz, right_answers, tok

Kind = Question.Kind


def take(quiz, pupil, link, picks: dict[str, object]):
    """A submitted attempt answering by question kind (client shapes built from texts)."""
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    right = right_answers(attempt)
    answers = []
    for question in quiz.questions.prefetch_related("choices"):
        value = picks.get(question.kind, right[question.pk])
        if value is None:
            continue
        if question.kind == Kind.SINGLE and isinstance(value, str) and not value.startswith("t"):
            value = {"choice": tok(attempt, value, question)}
        answers.append(
            (
                question,
                response_from_client(
                    question, value, seed=attempt.seed, choices=list(question.choices.all())
                ),
            )
        )
    attempts.attempt_submit(attempt=attempt, answers=answers)
    return Attempt.objects.get(pk=attempt.pk)


@pytest.fixture
def results(classroom, assignment, quiz, pupil, other_pupil):
    take(quiz, pupil, link_for(assignment, pupil), {})
    take(
        quiz,
        other_pupil,
        link_for(assignment, other_pupil),
        {Kind.SINGLE: "Five", Kind.SHORT_TEXT: {"text": "=cmd|' /C calc'!A0"}, Kind.OPEN: None},
    )
    return classroom


def urls(classroom, quiz, assignment):
    return [
        reverse("quizzes:gradebook", args=[classroom.pk]),
        reverse("quizzes:gradebook-csv", args=[classroom.pk]),
        reverse("quizzes:results", args=[classroom.pk, quiz.pk]),
        reverse("quizzes:analysis", args=[classroom.pk, quiz.pk]),
        reverse("quizzes:export-detail", args=[classroom.pk, quiz.pk]),
        reverse("quizzes:export-summary", args=[classroom.pk, quiz.pk]),
        reverse("quizzes:marking", args=[classroom.pk, quiz.pk]),
        reverse("quizzes:paper-marks", args=[classroom.pk, quiz.pk, assignment.pk]),
    ]


def test_personas_on_every_teacher_page(
    client, results, quiz, assignment, teacher, other_teacher, pupil
):
    pages = urls(results, quiz, assignment)
    client.force_login(teacher)
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(other_teacher)
    for url in pages:
        assert client.get(url).status_code == 404, url
    client.force_login(pupil)  # in the class, but these are teachers' pages
    for url in pages:
        assert client.get(url).status_code == 403, url
    client.logout()
    for url in pages:
        assert client.get(url).status_code == 302, url


def test_gradebook_shows_scores_status_and_flags(client, results, teacher, quiz):
    client.force_login(teacher)
    html = client.get(reverse("quizzes:gradebook", args=[results.pk])).content.decode()
    assert "Amara K." in html and "Zed Q." in html
    assert "to mark" in html  # Amara's open answer
    assert ">7<" in html.replace(" <span", "<")
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(
                        reverse("quizzes:gradebook-csv", args=[results.pk])
                    ).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert rows[0][0] == "Pupil" and len(rows) == 3
    assert rows[1][2].startswith("7") and "to mark" in rows[1][2]


def test_csv_detail_has_a_row_per_pupil_per_question(client, results, teacher, quiz):
    client.force_login(teacher)
    response = client.get(reverse("quizzes:export-detail", args=[results.pk, quiz.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 2 * 8
    assert {"Pupil", "Question", "Answer", "Points", "Correct"} <= set(header)
    answers = [r[header.index("Answer")] for r in body]
    assert "'=cmd|' /C calc'!A0" in answers  # a formula is defused
    assert "Five" in answers
    summary = client.get(reverse("quizzes:export-summary", args=[results.pk, quiz.pk]))
    srows = list(csv.reader(io.StringIO(b"".join(summary.streaming_content).decode("utf-8-sig"))))
    assert len(srows) == 3 and srows[0][5] == "Score"


def test_item_analysis_shows_facility_discrimination_and_wrong_answers(
    client, teacher, lesson, pupil, other_pupil
):
    from tests.factories import PupilFactory

    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.TRUE_FALSE])
    pupils = [pupil, other_pupil, *PupilFactory.create_batch(4)]
    classroom = make_class(teacher, pupils)
    assignment = assign(classroom, lesson, pupils)
    # Two strong pupils get both right; four pick "Five" and get the true/false wrong,
    # except one who gets it right.
    for i, p in enumerate(pupils):
        picks = {} if i < 2 else {Kind.SINGLE: "Five", Kind.TRUE_FALSE: {"value": i == 5}}
        take(quiz, p, link_for(assignment, p), picks)
    client.force_login(teacher)
    response = client.get(reverse("quizzes:analysis", args=[classroom.pk, quiz.pk]))
    analysis = response.context["analysis"]
    single, truefalse = analysis.items
    assert single.facility == pytest.approx(2 / 6)
    assert single.wrong_answers == [("Five", 4)]
    # items [1,1,0,0,0,0] against totals [2,2,0,0,0,1]: r = 2.333 / sqrt(1.333 × 4.833)
    assert single.discrimination == pytest.approx(0.9191, abs=0.001)
    assert truefalse.facility == pytest.approx(3 / 6)
    assert "“Five” × 4" in response.content.decode()


def test_marking_screen_saves_points_and_comment(client, results, teacher, quiz, pupil):
    client.force_login(teacher)
    url = reverse("quizzes:marking", args=[results.pk, quiz.pk])
    answer = Answer.objects.get(attempt__pupil=pupil, question__kind=Kind.OPEN)
    page = client.get(url).content.decode()
    assert "MARKING-GUIDE-SECRET" in page and "Because magnets need them." in page
    bad = client.post(url, {"answer": answer.pk, "score": "9", "comment": ""})
    assert bad.status_code == 400 and "from 0 to 4" in bad.content.decode()
    ok = client.post(url, {"answer": answer.pk, "score": "3", "comment": "Well argued."})
    assert ok.status_code == 302
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert attempt.score == 10 and not attempt.needs_marking


def test_regrade_button_recomputes_this_class(client, results, teacher, quiz):
    question = quiz.questions.get(kind=Kind.SINGLE)
    question.choices.update(is_correct=False)
    question.choices.filter(text="Five").update(is_correct=True)
    client.force_login(teacher)
    response = client.post(reverse("quizzes:regrade", args=[results.pk, quiz.pk]), follow=True)
    assert "2 attempts changed" in response.content.decode()
    scores = sorted(Attempt.objects.values_list("score", flat=True))
    assert scores == [Decimal(6), Decimal(6)]


def test_paper_marks_grid(client, results, teacher, quiz, assignment, pupil):
    client.force_login(teacher)
    url = reverse("quizzes:paper-marks", args=[results.pk, quiz.pk, assignment.pk])
    questions = list(quiz.questions.order_by("sort_order"))
    link = link_for(assignment, pupil)
    data = {f"mark-{link.pk}-{q.pk}": "1" for q in questions}
    data[f"mark-{link.pk}-{questions[0].pk}"] = "7"
    bad = client.post(url, data)
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    assert not Attempt.objects.filter(source="paper").exists()
    data[f"mark-{link.pk}-{questions[0].pk}"] = "1"
    assert client.post(url, data).status_code == 302
    paper = Attempt.objects.get(source="paper")
    assert paper.score == 8 and paper.number == 2
    html = client.get(reverse("quizzes:results", args=[results.pk, quiz.pk])).content.decode()
    assert "paper" in html


def test_quiz_not_in_the_class_is_404(client, classroom, teacher, curriculum, assignment):
    elsewhere = make_quiz(curriculum["lessons"]["t3"][0])
    client.force_login(teacher)
    assert (
        client.get(reverse("quizzes:results", args=[classroom.pk, elsewhere.pk])).status_code == 404
    )
