"""A clever 13-year-old tries to learn a quiz's key before answering (issue 16, part 1).

Each test is one trick that worked before: reading the quiz through the API, comparing option
values, recomputing a shuffle from ids, practising the quiz (with a pending account made with
the class's own join code), and typing "1, 1, 1, 1" into an ordering question.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from reelearn.classroom import services as classroom_services
from reelearn.classroom.models import Assignment, Membership
from reelearn.quizzes import attempts, errors
from reelearn.quizzes.models import RIGHT, Answer, Attempt, Choice, Question, Quiz, choice_token
from reelearn.quizzes.presentation import question_view

from ..classroom.factories import ClassroomFactory
from ..factories import PupilFactory
from ..quizzes.factories import assign, link_for, make_class, make_quiz

pytestmark = pytest.mark.django_db
Kind = Question.Kind


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _values(body: dict, part: str) -> list[str]:
    return [o["value"] for q in body["questions"] for o in q[part]]


@pytest.fixture
def lesson(curriculum):
    return curriculum["lessons"]["t1"][0]


@pytest.fixture
def setting(teacher, pupil, lesson):
    """A quiz set to a class, keys kept back until a due date next week; practice open."""
    quiz = make_quiz(lesson, open_for_practice=True)
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, lesson, [pupil], due_at=timezone.now() + dt.timedelta(days=7))
    return {"quiz": quiz, "classroom": classroom, "assignment": assignment}


# --- Reading the quiz -----------------------------------------------------------------------


def test_a_pupil_not_assigned_the_quiz_cannot_read_it(setting, other_pupil, pupil, lesson):
    closed = Quiz.objects.get(
        pk=make_quiz(lesson.get_parent().specific, open_for_practice=False).pk
    )
    outsider = _as(other_pupil)
    assert outsider.get(f"/api/v1/quizzes/{closed.pk}/").status_code == 404
    assert _as(pupil).get(f"/api/v1/quizzes/{setting['quiz'].pk}/").status_code == 200
    assert Client().get(f"/api/v1/quizzes/{closed.pk}/").status_code in (401, 403)


def test_each_reader_gets_their_own_order_and_values(teacher, lesson):
    """Before: authored order and one set of values for everyone (correct choice first)."""
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.ORDERING])
    readers = [PupilFactory() for _ in range(10)]
    classroom = make_class(teacher, readers)
    assign(classroom, lesson, readers)
    first_texts, seen_values = set(), []
    for reader in readers:
        body = _as(reader).get(f"/api/v1/quizzes/{quiz.pk}/").json()
        single = next(q for q in body["questions"] if q["kind"] == Kind.SINGLE)
        first_texts.add(single["options"][0]["text"])
        seen_values.append(set(_values(body, "options")) | set(_values(body, "items")))
        assert "is_correct" not in json.dumps(body) and "correct_options" not in json.dumps(body)
    assert len(first_texts) > 1  # the correct "Seventeen" is not always first
    assert all(not (a & b) for i, a in enumerate(seen_values) for b in seen_values[i + 1 :])


def test_matching_sides_never_share_a_value(setting, pupil):
    """Before: a left item and its right-hand partner had the same value."""
    quiz = setting["quiz"]
    client = _as(pupil)
    body = client.get(f"/api/v1/quizzes/{quiz.pk}/").json()
    assert set(_values(body, "left")) and not set(_values(body, "left")) & set(
        _values(body, "right")
    )
    client.post(
        reverse("quizzes:start", args=[quiz.pk]),
        {"link": link_for(setting["assignment"], pupil).pk},
    )
    attempt = Attempt.objects.get(pupil=pupil)
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    matching = quiz.questions.get(kind=Kind.MATCHING)
    names = set(re.findall(rf'name="q{matching.pk}-(t[0-9a-f]+)"', html))
    options = set(re.findall(r'<option value="(t[0-9a-f]+)"', html))
    assert len(names) == 3 and options and not names & options


def test_orders_come_from_the_secret_key_not_from_ids(pupil, lesson, settings):
    """Anyone knowing the ids (and even the attempt's seed) cannot recompute an order: with
    another secret key, the same seed gives other orders."""
    quiz = make_quiz(lesson, kinds=[Kind.ORDERING])
    question = quiz.questions.get()
    for n, text in enumerate(("recycle", "sell", "ship", "design")):
        question.choices.create(text=text, sort_order=10 + n)
    question = Question.objects.prefetch_related("choices").get(pk=question.pk)

    def orders(secret: str) -> list[list[str]]:
        settings.SECRET_KEY = secret
        return [
            [o.text for o in question_view(question, 1, seed=seed, shuffle_choices=True).items]
            for seed in (0, 1, 2)
        ]

    assert orders("first-secret-key-" * 3) != orders("second-secret-key-" * 3)
    printings = ("printing", "reprint", "third printing")
    paper = [question.paper_options(p)["items"] for p in printings]
    settings.SECRET_KEY = "third-secret-key-" * 3
    assert paper != [question.paper_options(p)["items"] for p in printings]


# --- Practising to see the key --------------------------------------------------------------


def test_a_pending_account_made_with_the_join_code_cannot_practise(setting, teacher, lesson):
    """Before: a fresh account made with the class's code could start a practice attempt and
    read the full key on submitting it."""
    quiz = setting["quiz"]
    classroom = ClassroomFactory(teacher=teacher, join_needs_approval=True)
    assign(classroom, lesson, [], due_at=timezone.now() + dt.timedelta(days=7))
    _credential, membership = classroom_services.classroom_join(
        code=classroom.join_code,
        name="Sneaky P.",
        request=RequestFactory().post("/join/", REMOTE_ADDR="10.0.0.9"),
    )
    assert membership.status == Membership.Status.PENDING
    sneaky = _as(membership.pupil)
    assert sneaky.get(f"/api/v1/quizzes/{quiz.pk}/").status_code == 404
    started = sneaky.post(
        f"/api/v1/quizzes/{quiz.pk}/attempts/", {}, format="json", content_type="application/json"
    )
    assert started.status_code == 400 and started.json()["code"] == "not_available"
    sneaky.post(reverse("quizzes:start", args=[quiz.pk]))
    assert not Attempt.objects.filter(pupil=membership.pupil).exists()


def test_practice_opens_once_the_class_has_its_answers(setting, teacher, other_pupil, t0):
    """A quiz open for practice is closed to practice for a member of a class that is set it,
    until that class's answers are released (here: after the due date)."""
    quiz, classroom = setting["quiz"], setting["classroom"]
    Membership.objects.create(
        classroom=classroom, pupil=other_pupil, status=Membership.Status.PENDING
    )
    with pytest.raises(errors.NotAvailable):
        attempts.attempt_start(quiz=quiz, pupil=other_pupil, now=t0)
    later = setting["assignment"].due_at + dt.timedelta(minutes=1)
    attempt, created = attempts.attempt_start(quiz=quiz, pupil=other_pupil, now=later)
    assert created and attempt.assignment_pupil is None


def test_a_quiz_not_open_for_practice_is_taken_only_when_set(other_pupil, lesson):
    quiz = make_quiz(lesson, open_for_practice=False)
    client = _as(other_pupil)
    page = client.get(reverse("quizzes:quiz", args=[quiz.pk])).content.decode()
    assert "when your teacher sets it" in page and "Start the quiz" not in page
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), follow=True)
    assert "not open for practice" in response.content.decode()
    assert not Attempt.objects.exists()


# --- Ordering: "1, 1, 1, 1" -----------------------------------------------------------------


@pytest.fixture
def ordering_attempt(pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.ORDERING], answers_timing="after_submit")
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    return attempt, quiz.questions.get(kind=Kind.ORDERING)


def test_the_same_place_for_every_item_is_refused_and_kept_as_typed(
    client, pupil, ordering_attempt
):
    """Before: ties were broken in authored order (the key), so 1,1,1,1 scored full marks
    and "Save answers" showed the items in the correct order."""
    attempt, question = ordering_attempt
    client.force_login(pupil)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    page = client.get(url).content.decode()
    tokens = re.findall(rf'name="q{question.pk}-(t[0-9a-f]+)"', page)
    assert len(tokens) == 4
    for action in ("save", "submit"):
        data = {
            "action": action,
            "shown": [str(question.pk)],
            **{f"q{question.pk}-{t}": "1" for t in tokens},
        }
        response = client.post(url, data)
        assert response.status_code == 400
        html = response.content.decode()
        number = re.search(rf'href="#q{question.pk}">Question (\d+):', html)
        assert number, "the message names the question"
        assert "a place can be used only once" in html
        shown = re.findall(
            rf'name="q{question.pk}-(t[0-9a-f]+)".*?<option value="1" selected', html, re.S
        )
        assert shown == tokens  # as typed, in the order shown: nothing reordered
    assert not Answer.objects.filter(attempt=attempt).exists()
    attempt.refresh_from_db()
    assert attempt.is_open


def test_the_api_refuses_repeated_or_missing_places(pupil, ordering_attempt):
    attempt, question = ordering_attempt
    client = _as(pupil)
    body = client.get(f"/api/v1/attempts/{attempt.pk}/").json()
    tokens = [o["value"] for q in body["questions"] if q["id"] == question.pk for o in q["items"]]
    url = f"/api/v1/attempts/{attempt.pk}/answers/{question.pk}/"
    for response in (
        {"places": dict.fromkeys(tokens, 1)},
        {"order": tokens[:1]},
        {"order": [tokens[0]] * 4},
    ):
        put = client.put(
            url, {"response": response, "revision": 1}, content_type="application/json"
        )
        assert put.status_code == 400, response
    assert not Answer.objects.filter(attempt=attempt).exists()
    submit = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"answers": {str(question.pk): {"places": dict.fromkeys(tokens, 1)}}},
        content_type="application/json",
    )
    assert submit.status_code == 400 and f"Question {question.pk}" in submit.content.decode()
    good = client.put(
        url,
        {"response": {"places": {t: n for n, t in enumerate(tokens, 1)}}, "revision": 2},
        content_type="application/json",
    )
    assert good.status_code == 200


def test_a_lone_surrogate_in_a_text_answer_is_refused(pupil, lesson):
    quiz = make_quiz(lesson, kinds=[Kind.OPEN])
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    question = quiz.questions.get()
    put = _as(pupil).put(
        f"/api/v1/attempts/{attempt.pk}/answers/{question.pk}/",
        '{"response": {"text": "magnets \\ud800"}, "revision": 1}',
        content_type="application/json",
    )
    assert put.status_code == 400 and "broken character" in put.content.decode()
    assert not Answer.objects.exists()


# --- Handing in early to pass the key on (issue 19, item 6) ---------------------------------


@pytest.fixture
def early(teacher, pupil, lesson):
    """A quiz set with a due date next week (feedback after submitting, answers after the due
    date): one question of each kind the key could leak from, and a choice whose authored
    feedback names the correct answer, as the curriculum's often do."""
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.SHORT_TEXT, Kind.MATCHING], publish=False)
    named = Question.objects.create(
        quiz=quiz, kind=Kind.SINGLE, sort_order=9, prompt="<p>What are rare earths?</p>"
    )
    for n, (text, correct, feedback) in enumerate(
        [
            ("liquids", False, "No. They are solid metals."),
            ("metals", True, "Yes, shiny metals once cleaned."),
            ("gases", False, "Think of what is dug out of rock."),
        ]
    ):
        Choice.objects.create(
            question=named, sort_order=n, text=text, is_correct=correct, feedback=feedback
        )
    quiz.live = True
    quiz.save()
    quiz.save_revision().publish()
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, lesson, [pupil], due_at=timezone.now() + dt.timedelta(days=7))
    client = _as(pupil)
    client.post(reverse("quizzes:start", args=[quiz.pk]), {"link": link_for(assignment, pupil).pk})
    attempt = Attempt.objects.get(pupil=pupil)
    questions = {q.prompt: q for q in quiz.questions.prefetch_related("choices")}
    wrong = {"shown": [str(q.pk) for q in questions.values()], "action": "submit"}
    for question in questions.values():
        name = f"q{question.pk}"
        if question.kind == Kind.SINGLE:
            pick = {"metals": "liquids"}.get(
                next(c.text for c in question.choices.all() if c.is_correct), "Five"
            )
            wrong[name] = choice_token(attempt.seed, question.choices.get(text=pick).pk)
        elif question.kind == Kind.SHORT_TEXT:
            wrong[name] = "Iron"
        elif question.kind == Kind.MATCHING:
            lefts = list(question.choices.all())
            for left, right in zip(lefts, lefts[1:] + lefts[:1], strict=True):  # every pair wrong
                wrong[f"{name}-{choice_token(attempt.seed, left.pk)}"] = choice_token(
                    attempt.seed, right.pk, RIGHT
                )
    handed = client.post(reverse("quizzes:attempt", args=[attempt.pk]), wrong)
    assert handed["Location"] == reverse("quizzes:result", args=[attempt.pk])
    return {"client": client, "attempt": attempt, "quiz": quiz, "questions": questions}


def _correct_tokens(attempt, quiz) -> set[str]:
    return {
        choice_token(attempt.seed, c.pk, side)
        for q in quiz.questions.prefetch_related("choices")
        for c in q.choices.all()
        if c.is_correct or q.kind == Kind.MATCHING
        for side in (("", RIGHT) if q.kind == Kind.MATCHING else ("",))
    }


def test_an_early_result_teaches_without_giving_the_key_away(early):
    """Handed in first, with every answer wrong: the result says what was wrong and shows the
    feedback written for the options picked, but nothing that tells the right option, words,
    pairs or explanation to pass on before the due date."""
    client, attempt = early["client"], early["attempt"]
    html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "You got 0 of 4 questions right." in html and "Not right" in html
    assert "FEEDBACK-WRONG" in html  # a nudge that names no answer: shown at once
    assert "0 of the 3 pairs matched." in html
    for secret in (
        "They are solid metals",  # the feedback of "liquids" names the right answer
        "Neodymium / Nd",
        "Correct answer:",
        "(correct answer)",
        "is-key",
        "EXPLANATION-SECRET",
        "Why:",
    ):
        assert secret not in html, secret
    # The pairs as the pupil gave them, every one wrong: no right-hand token beside its partner.
    matching = next(q for q in early["questions"].values() if q.kind == Kind.MATCHING)
    for left in matching.choices.all():
        partner = choice_token(attempt.seed, left.pk, RIGHT)
        select = re.search(
            rf'name="q{matching.pk}-{choice_token(attempt.seed, left.pk)}".*?</select>', html, re.S
        ).group(0)
        assert f'value="{partner}" selected' not in select


def test_the_api_result_before_the_due_date_holds_no_key(early):
    client, attempt, quiz = early["client"], early["attempt"], early["quiz"]
    for url in (f"/api/v1/attempts/{attempt.pk}/result/", f"/api/v1/attempts/{attempt.pk}/"):
        body = client.get(url).json()
        text = json.dumps(body)
        assert "They are solid metals" not in text and "Neodymium / Nd" not in text
        assert "correct_options" not in text and "EXPLANATION-SECRET" not in text
        questions = body["questions"]
        assert all("key" not in q for q in questions)
        assert all(q["feedback"]["is_correct"] is False for q in questions)
        assert any("FEEDBACK-WRONG" in q["feedback"]["messages"] for q in questions)
        shown = {o["value"] for q in questions for o in q["options"] + q["right"]}
        marked = {o["value"] for q in questions for o in q["options"] if set(o) - {"value", "text"}}
        assert shown and not marked  # options carry no mark of which is right
    assert _correct_tokens(attempt, quiz)  # (the tokens exist; none is singled out above)


def test_practising_the_missed_questions_waits_for_the_key(early):
    client, attempt = early["client"], early["attempt"]
    url = reverse("quizzes:practice", args=[attempt.pk])
    assert client.get(url).status_code == 404
    guess = {"shown": [str(q.pk) for q in early["questions"].values()]}
    assert client.post(url, guess).status_code == 404
    assert (
        "Practise" not in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    )
    # After the due date: the key, the revealing feedback and the practice all open up.
    Assignment.objects.update(due_at=timezone.now() - dt.timedelta(minutes=1))
    html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "They are solid metals" in html and "Correct answer:" in html
    assert "Practise the 4 questions you missed" in html
    assert client.get(url).status_code == 200
