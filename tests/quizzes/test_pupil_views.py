"""Taking a quiz through the HTML pages, with no JavaScript: the form is the whole interface."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reelearn.classroom.models import AssignmentPupil
from reelearn.quizzes.models import RIGHT, Answer, Attempt, Question, choice_token

from .factories import link_for, make_quiz

Kind = Question.Kind


def start(client, quiz, link=None) -> Attempt:
    data = {"link": link.pk} if link else {}
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), data)
    assert response.status_code == 302, response.content[:500]
    return Attempt.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def form_data(attempt, answers: dict, action="save") -> dict:
    """HTML form fields for {question: value} where value is the pupil's choice(s)/text."""
    data = {"action": action, "shown": []}
    for question, value in answers.items():
        data["shown"].append(str(question.pk))
        name = f"q{question.pk}"
        choices = {c.text: c for c in question.choices.all()}

        def t(text, choices=choices):
            return choice_token(attempt.seed, choices[text].pk)

        if question.kind == Kind.SINGLE:
            data[name] = t(value)
        elif question.kind == Kind.MULTIPLE:
            data[name] = [t(v) for v in value]
        elif question.kind == Kind.TRUE_FALSE:
            data[name] = "true" if value else "false"
        elif question.kind in (Kind.SHORT_TEXT, Kind.NUMERIC, Kind.OPEN):
            data[name] = value
        elif question.kind == Kind.ORDERING:
            for place, text in enumerate(value, start=1):
                data[f"{name}-{t(text)}"] = str(place)
        elif question.kind == Kind.MATCHING:
            for left, right in value.items():
                right_choice = next(c for c in choices.values() if c.match_text == right)
                data[f"{name}-{t(left)}"] = choice_token(attempt.seed, right_choice.pk, RIGHT)
    return data


def questions(quiz) -> dict[str, Question]:
    return {q.kind: q for q in quiz.questions.all()}


ALL_RIGHT = {
    Kind.SINGLE: "Seventeen",
    Kind.MULTIPLE: ["Neodymium", "Dysprosium"],
    Kind.TRUE_FALSE: True,
    Kind.SHORT_TEXT: " neodymium ",
    Kind.NUMERIC: "120",
    Kind.ORDERING: ["mine", "separate", "make metal", "make magnet"],
    Kind.MATCHING: {"Neodymium": "Magnets", "Europium": "Red light", "Cerium": "Polishing glass"},
    Kind.OPEN: "Because the magnets in motors need them.",
}


def test_pupil_takes_every_question_type_without_javascript(client, pupil, quiz):
    client.force_login(pupil)
    page = client.get(reverse("quizzes:quiz", args=[quiz.pk]))
    assert page.status_code == 200
    attempt = start(client, quiz)
    take = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    html = take.content.decode()
    assert take.status_code == 200
    assert html.count("<fieldset") == 8 and html.count("<legend") == 8
    # Saving and going to the review step; handing in is only on the review page.
    assert 'value="save"' in html and 'value="review"' in html and 'value="submit"' not in html
    qs = questions(quiz)
    data = form_data(attempt, {qs[k]: v for k, v in ALL_RIGHT.items()}, action="submit")
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.score == 7  # seven 1-point questions right; the open one waits (4 points)
    assert attempt.max_score == 11 and attempt.needs_marking
    result = client.get(response["Location"]).content.decode()
    assert "You got 7 of 8 questions right." in result
    assert "Points: 7 out of 11" in result and "1 for your teacher to mark" in result


def test_saving_then_resuming_prefills_answers(client, pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    qs = questions(quiz)
    data = form_data(
        attempt,
        {
            qs[Kind.SHORT_TEXT]: "Dysprosium",
            qs[Kind.SINGLE]: "Five",
            qs[Kind.ORDERING]: ["separate", "mine", "make metal", "make magnet"],
        },
    )
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302
    # Later, on another device: the start link resumes the same attempt, answers filled in.
    client.logout()
    client.force_login(pupil)
    assert start(client, quiz) == attempt
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert 'value="Dysprosium"' in html
    five = choice_token(attempt.seed, qs[Kind.SINGLE].choices.get(text="Five").pk)
    assert re.search(rf'value="{five}"\s+checked', html)
    separate = choice_token(attempt.seed, qs[Kind.ORDERING].choices.get(text="separate").pk)
    assert re.search(
        rf'name="q{qs[Kind.ORDERING].pk}-{separate}".*?<option value="1" selected', html, re.S
    )
    assert Answer.objects.filter(attempt=attempt).count() == 3


def test_invalid_answer_saves_nothing_and_names_the_question(client, pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    qs = questions(quiz)
    data = form_data(attempt, {qs[Kind.SHORT_TEXT]: "Neodymium", qs[Kind.NUMERIC]: "lots"})
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and "Enter a number" in html
    assert f'href="#q{qs[Kind.NUMERIC].pk}"' in html
    assert 'value="lots"' in html and 'value="Neodymium"' in html  # typed values kept
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_oversized_text_is_refused(client, pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    qs = questions(quiz)
    data = form_data(attempt, {qs[Kind.OPEN]: "x" * 5001})
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert "at most 5,000 characters" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_null_character_in_a_form_answer_is_refused(client, pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    data = form_data(attempt, {questions(quiz)[Kind.OPEN]: "pasted\x00text"})
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Answer.objects.exists()


def test_submit_twice_redirects_to_the_result_with_a_message(client, pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    first = client.post(url, {"action": "submit", "confirm_blank": "1"})
    second = client.post(url, {"action": "submit", "confirm_blank": "1"}, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert "had already been submitted" in second.content.decode()
    assert Attempt.objects.filter(pupil=pupil, status="submitted").count() == 1


def test_a_pupil_cannot_open_or_post_to_another_pupils_attempt(client, pupil, other_pupil, quiz):
    client.force_login(pupil)
    attempt = start(client, quiz)
    client.force_login(other_pupil)
    for name in ("quizzes:attempt", "quizzes:result"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    qs = questions(quiz)
    response = client.post(
        reverse("quizzes:attempt", args=[attempt.pk]),
        form_data(attempt, {qs[Kind.SHORT_TEXT]: "Nd"}, action="submit"),
    )
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.answers.exists()


@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_only_pupils_take_quizzes(client, teacher, quiz, who):
    if who == "teacher":
        client.force_login(teacher)
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert not Attempt.objects.exists()


def test_unpublished_quiz_is_not_found(client, pupil, curriculum):
    draft = make_quiz(curriculum["lessons"]["t3"][0], publish=False)
    client.force_login(pupil)
    assert client.get(reverse("quizzes:quiz", args=[draft.pk])).status_code == 404
    assert client.post(reverse("quizzes:start", args=[draft.pk])).status_code == 404


def test_attempts_run_out(client, pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.TRUE_FALSE], attempts_allowed=1)
    client.force_login(pupil)
    attempt = start(client, quiz)
    client.post(
        reverse("quizzes:attempt", args=[attempt.pk]), {"action": "submit", "confirm_blank": "1"}
    )
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), follow=True)
    assert "used all your attempts" in response.content.decode()
    assert Attempt.objects.filter(pupil=pupil).count() == 1


def test_assignment_link_is_used_and_submitting_leaves_turning_in_to_the_pupil(
    client, pupil, assignment, quiz
):
    client.force_login(pupil)
    link = link_for(assignment, pupil)
    page = client.get(reverse("quizzes:quiz", args=[quiz.pk])).content.decode()
    assert assignment.title in page  # picked automatically from the pupil's assignments
    attempt = start(client, quiz, link)
    assert attempt.assignment_pupil == link
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.IN_PROGRESS
    client.post(
        reverse("quizzes:attempt", args=[attempt.pk]), {"action": "submit", "confirm_blank": "1"}
    )
    link.refresh_from_db()  # the quiz part is done; the pupil turns in the assignment
    assert link.status == AssignmentPupil.Status.IN_PROGRESS and link.turned_in_at is None


def test_someone_elses_assignment_link_is_not_found(client, pupil, other_pupil, assignment, quiz):
    client.force_login(pupil)
    theirs = link_for(assignment, other_pupil)
    url = reverse("quizzes:quiz", args=[quiz.pk])
    assert client.get(f"{url}?link={theirs.pk}").status_code == 404
    assert (
        client.post(reverse("quizzes:start", args=[quiz.pk]), {"link": theirs.pk}).status_code
        == 404
    )


def test_posting_after_the_time_limit_submits_only_what_was_saved(client, pupil, lesson, t0):
    import datetime as dt

    import time_machine

    quiz = make_quiz(lesson, kinds=[Kind.SHORT_TEXT, Kind.TRUE_FALSE], time_limit_minutes=10)
    qs = questions(quiz)
    with time_machine.travel(t0, tick=False) as clock:
        client.force_login(pupil)
        attempt = start(client, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        page = client.get(url).content.decode()
        assert 'data-seconds-left="600"' in page and "Time ends at" in page
        client.post(url, form_data(attempt, {qs[Kind.SHORT_TEXT]: "Nd"}))
        clock.move_to(t0 + dt.timedelta(minutes=11))
        response = client.post(
            url,
            form_data(
                attempt, {qs[Kind.SHORT_TEXT]: "Nd", qs[Kind.TRUE_FALSE]: True}, action="submit"
            ),
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert "Time was up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.timed_out and attempt.score == 1
    assert not Answer.objects.filter(attempt=attempt, question=qs[Kind.TRUE_FALSE]).exists()


def test_checking_one_answer_without_javascript(client, pupil, lesson):
    quiz = make_quiz(
        lesson,
        kinds=[Kind.SINGLE, Kind.TRUE_FALSE],
        feedback_timing="immediate",
        answers_timing="never",
    )
    qs = questions(quiz)
    client.force_login(pupil)
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    html = client.get(url).content.decode()
    assert html.count("Check this answer") == 2
    data = form_data(attempt, {qs[Kind.SINGLE]: "Five", qs[Kind.TRUE_FALSE]: True})
    data["action"] = f"check-{qs[Kind.SINGLE].pk}"
    response = client.post(url, data)
    assert response["Location"].endswith(f"#q{qs[Kind.SINGLE].pk}")
    html = client.get(url).content.decode()
    assert "FEEDBACK-WRONG" in html and "Not right" in html
    assert html.count("Check this answer") == 1  # the checked one is locked
    assert "(correct answer)" not in html  # feedback, but not the key
    # Trying to change the locked answer changes nothing.
    client.post(url, form_data(attempt, {qs[Kind.SINGLE]: "Seventeen"}))
    answer = Answer.objects.get(attempt=attempt, question=qs[Kind.SINGLE])
    assert answer.checked_at and answer.score == 0
    assert answer.response == {"choice": qs[Kind.SINGLE].choices.get(text="Five").pk}
