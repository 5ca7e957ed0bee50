"""Handing in on purpose (issue 19, item 5): "Review and hand in" saves and opens a review
page listing unanswered questions with links back; only there is the attempt handed in, and a
blank attempt needs a ticked box. Enter in a text field never presses another question's
"Check this answer" (item 7)."""

from __future__ import annotations

import re

from django.urls import reverse

from reelearn.quizzes.models import Answer, Attempt, Question

from .factories import make_quiz
from .test_pupil_views import form_data, questions, start

Kind = Question.Kind


def test_review_saves_then_lists_the_unanswered_questions_with_links_back(client, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.SHORT_TEXT, Kind.TRUE_FALSE])
    qs = questions(quiz)
    client.force_login(pupil)
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    review_url = reverse("quizzes:submit-review", args=[attempt.pk])
    data = form_data(attempt, {qs[Kind.SINGLE]: "Five"}, action="review")
    data["shown"] += [str(qs[Kind.SHORT_TEXT].pk), str(qs[Kind.TRUE_FALSE].pk)]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == review_url
    assert Answer.objects.filter(attempt=attempt).exclude(response={}).count() == 1
    page = client.get(review_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 questions have no answer yet" in html
    links = re.findall(rf'href="{url}#q(\d+)"', html)
    assert sorted(links) == sorted([str(qs[Kind.SHORT_TEXT].pk), str(qs[Kind.TRUE_FALSE].pk)])
    assert 'name="confirm_blank"' not in html
    assert re.search(
        r"<title>Check before you hand in, attempt 1: Rare earths quiz \(Ages 7–11\)", html
    )
    attempt.refresh_from_db()
    assert attempt.is_open  # reviewing hands nothing in
    handed = client.post(url, {"action": "submit"})
    assert handed["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score == 0


def test_a_blank_attempt_is_handed_in_only_with_the_box_ticked(client, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.SHORT_TEXT])
    client.force_login(pupil)
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    review_url = reverse("quizzes:submit-review", args=[attempt.pk])
    html = client.get(review_url).content.decode()
    assert "You have not answered any question yet" in html
    assert re.search(r'<input type="checkbox" name="confirm_blank"[^>]* required>', html)
    # The empty form of the quiz page, sent as a hand-in: refused, back to the review.
    refused = client.post(url, form_data(attempt, {}, action="submit"), follow=True)
    assert refused.redirect_chain[-1][0] == review_url
    assert "Tick the box if you really want to hand it in" in refused.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open
    client.post(url, {"action": "submit", "confirm_blank": "1"})
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_an_answer_saved_earlier_is_enough_to_hand_in(client, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.SHORT_TEXT])
    qs = questions(quiz)
    client.force_login(pupil)
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    client.post(url, form_data(attempt, {qs[Kind.SHORT_TEXT]: "Nd"}))
    assert (
        "confirm_blank"
        not in client.get(reverse("quizzes:submit-review", args=[attempt.pk])).content.decode()
    )
    client.post(url, {"action": "submit"})
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score == 1


def test_the_review_of_a_closed_attempt_goes_to_its_result(client, pupil, lesson, other_pupil):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE])
    client.force_login(pupil)
    attempt = start(client, quiz)
    review_url = reverse("quizzes:submit-review", args=[attempt.pk])
    client.post(
        reverse("quizzes:attempt", args=[attempt.pk]), {"action": "submit", "confirm_blank": "1"}
    )
    assert client.get(review_url)["Location"] == reverse("quizzes:result", args=[attempt.pk])
    client.force_login(other_pupil)
    assert client.get(review_url).status_code == 404


def test_enter_in_a_text_field_saves_and_never_checks_question_one(client, pupil, lesson):
    """A form's implicit submission (Enter in a text field) presses its first submit button:
    it must be a plain save, not Question 1's "Check this answer"."""
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.SHORT_TEXT], feedback_timing="immediate")
    client.force_login(pupil)
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    html = client.get(url).content.decode()
    form = html[html.index('id="quiz-form"') :]
    buttons = re.findall(r'<button type="submit" name="action" value="([^"]+)"', form)
    assert buttons[0] == "save" and buttons.count("save") == 2
    assert any(b.startswith("check-") for b in buttons)
    # What the browser sends for Enter in Question 2's field: the first button's value.
    qs = questions(quiz)
    data = form_data(
        attempt, {qs[Kind.SINGLE]: "Five", qs[Kind.SHORT_TEXT]: "Nd"}, action=buttons[0]
    )
    client.post(url, data)
    assert not Answer.objects.filter(attempt=attempt, checked_at__isnull=False).exists()
    assert Answer.objects.filter(attempt=attempt).count() == 2
