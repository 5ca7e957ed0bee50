"""quiz_load: the curriculum format (lessons/curriculum/FORMAT.md, `quiz:`) into quiz rows."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from reelearn.quizzes import attempts
from reelearn.quizzes.curriculum import quiz_load
from reelearn.quizzes.models import Answer, Question, Quiz

Kind = Question.Kind
CURRICULUM = Path(__file__).resolve().parents[2] / "lessons" / "curriculum"

SPEC = {
    "title": "What are rare earth elements? (Ages 7–11)",
    "open_for_practice": True,
    "questions": [
        {
            "type": "single",
            "prompt": "How many <b>rare earth</b> elements are there?",
            "hint": "More than ten.",
            "explanation": "The family has 17 members (USGS).",
            "choices": [{"text": "17", "correct": True, "feedback": "Yes!"}, {"text": "5"}],
        },
        {
            "type": "multiple",
            "prompt": "Which are REEs?",
            "choices": [{"text": "Nd", "correct": True}, {"text": "Fe"}],
        },
        {"type": "true_false", "prompt": "Cerium is common.", "answer": True},
        {"type": "short_text", "prompt": "Name one.", "accepted": ["neodymium", "Nd"]},
        {
            "type": "numeric",
            "prompt": "How many times?",
            "answer": 120,
            "tolerance": 0,
            "unit": "times",
        },
        {"type": "ordering", "prompt": "Order.", "items": ["mine", "separate", "magnet"]},
        {
            "type": "matching",
            "prompt": "Match.",
            "pairs": [{"left": "Nd", "right": "magnets"}, {"left": "Eu", "right": "red"}],
        },
        {"type": "open", "prompt": "Why?", "points": 4, "marking_guide": "Two reasons."},
    ],
}


def test_load_creates_then_is_unchanged_then_updates(lesson, django_assert_num_queries):
    assert quiz_load(spec=SPEC, page=lesson, key="m1/t1/quiz") == "created"
    quiz = Quiz.objects.get()
    assert quiz.live and quiz.page_id == lesson.pk and quiz.questions.count() == 8
    first = quiz.questions.first()
    assert first.prompt == "<p>How many &lt;b&gt;rare earth&lt;/b&gt; elements are there?</p>"
    assert first.answer_key_text() == "17"
    assert quiz.questions.get(kind=Kind.SHORT_TEXT).accepted_list() == ["neodymium", "Nd"]
    with django_assert_num_queries(1):  # the quiz with its digest; nothing written
        assert quiz_load(spec=copy.deepcopy(SPEC), page=lesson, key="m1/t1/quiz") == "unchanged"
    changed = copy.deepcopy(SPEC)
    changed["questions"][0]["choices"][1]["text"] = "Five"
    del changed["questions"][-1]
    ids = list(quiz.questions.values_list("pk", flat=True))
    assert quiz_load(spec=changed, page=lesson, key="m1/t1/quiz") == "updated"
    assert list(quiz.questions.values_list("pk", flat=True)) == ids[:-1]  # updated in place
    first = quiz.questions.first()
    assert [c.text for c in first.live_choices()] == ["17", "Five"]
    assert [c.text for c in first.choices.filter(retired=True)] == ["5"]  # kept for answers


def test_answers_keep_their_text_and_score_when_choices_are_reordered_and_reworded(lesson, pupil):
    """Before: the loader rewrote choices position by position, so reordering re-pointed a
    stored answer at another choice's text and correctness."""
    quiz_load(spec=SPEC, page=lesson, key="k")
    quiz = Quiz.objects.get()
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    single = quiz.questions.get(kind=Kind.SINGLE)
    ordering = quiz.questions.get(kind=Kind.ORDERING)
    items = list(ordering.choices.all())
    attempts.attempt_submit(
        attempt=attempt,
        answers=[
            (single, {"choice": single.choices.get(text="17").pk}),
            (ordering, {"order": [c.pk for c in items]}),
        ],
    )
    attempt.refresh_from_db()
    before = {a.question_id: (a.score, a.response) for a in attempt.answers.all()}
    assert (
        before[single.pk][0] == 1 and attempt.score == before[single.pk][0] + before[ordering.pk][0]
    )
    changed = copy.deepcopy(SPEC)
    # The wrong choice is reworded and put first; the right one moves to second place.
    changed["questions"][0]["choices"] = [{"text": "Five"}, SPEC["questions"][0]["choices"][0]]
    assert quiz_load(spec=changed, page=lesson, key="k") == "updated"
    answer = attempt.answers.get(question=single)
    assert single.choices.get(pk=answer.response["choice"]).text == "17"
    assert answer.score == 1 and answer.is_correct
    attempt.refresh_from_db()
    assert attempt.score == sum(score for score, _ in before.values())
    # A changed key is regraded: the right answer made wrong takes the point away.
    wrong = copy.deepcopy(changed)
    wrong["questions"][0]["choices"] = [{"text": "Five", "correct": True}, {"text": "17"}]
    quiz_load(spec=wrong, page=lesson, key="k")
    answer = attempt.answers.get(question=single)
    assert single.choices.get(pk=answer.response["choice"]).text == "17"
    assert answer.score == 0


def test_reloading_keeps_pupils_answers(lesson, pupil):
    quiz_load(spec=SPEC, page=lesson, key="k")
    quiz = Quiz.objects.get()
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    question = quiz.questions.get(kind=Kind.SINGLE)
    Answer.objects.create(
        attempt=attempt, question=question, response={"choice": question.choices.get(text="17").pk}
    )
    changed = copy.deepcopy(SPEC)
    changed["questions"][0]["explanation"] = "Seventeen, says the USGS."
    assert quiz_load(spec=changed, page=lesson, key="k") == "updated"
    answer = Answer.objects.get()
    assert answer.question.choices.get(pk=answer.response["choice"]).text == "17"


def test_a_rewritten_question_is_a_new_row_and_the_answered_one_is_retired(lesson, pupil):
    """Second edition: questions rewritten in place. Before, the loader updated questions by
    position, so a pupil's "true" to "Cerium is common." became a "true" to whatever question
    took its place. Now a question whose words change is a new row; the one answered is kept,
    out of the quiz, with its answer and score; an unanswered one is deleted."""
    quiz_load(spec=SPEC, page=lesson, key="k")
    quiz = Quiz.objects.get()
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    cerium = quiz.questions.get(kind=Kind.TRUE_FALSE)
    name_one = quiz.questions.get(kind=Kind.SHORT_TEXT)
    attempts.attempt_submit(attempt=attempt, answers=[(cerium, {"value": True})])
    attempt.refresh_from_db()
    score_before = attempt.score
    changed = copy.deepcopy(SPEC)
    changed["questions"][2] = {
        "type": "true_false",
        "prompt": "Magnets pull brass.",
        "answer": False,
    }
    changed["questions"][3]["prompt"] = "Name one rare earth element."
    changed["questions"][0]["hint"] = "More than ten, fewer than twenty."  # same words: kept
    first_id = quiz.questions.get(kind=Kind.SINGLE).pk
    assert quiz_load(spec=changed, page=lesson, key="k") == "updated"
    live = quiz.questions.filter(retired=False).order_by("sort_order")
    assert [q.prompt_text for q in live][2:4] == [
        "Magnets pull brass.",
        "Name one rare earth element.",
    ]
    assert live[0].pk == first_id and live.count() == 8
    answer = Answer.objects.get(attempt=attempt)
    assert answer.question_id == cerium.pk and answer.question.prompt_text == "Cerium is common."
    assert Question.objects.get(pk=cerium.pk).retired  # kept, with its answer
    assert not Question.objects.filter(pk=name_one.pk).exists()  # nobody answered it
    attempt.refresh_from_db()
    assert attempt.score == score_before  # the point earned stays
    # The question coming back in the source brings its row back.
    assert quiz_load(spec=copy.deepcopy(SPEC), page=lesson, key="k") == "updated"
    assert not Question.objects.get(pk=cerium.pk).retired


@pytest.mark.parametrize(
    ("number", "patch", "message"),
    [
        (
            1,
            {"choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}]},
            "exactly one correct",
        ),
        (2, {"choices": [{"text": "a"}, {"text": "b"}]}, "needs a correct choice"),
        (3, {"answer": "yes"}, "answer: true or false"),
        (4, {"accepted": []}, "accepted answers"),
        (5, {"answer": "lots"}, "must be a number"),
        (6, {"items": ["one"]}, "2 or more items"),
        (7, {"pairs": [{"left": "a"}, {"left": "b", "right": "c"}]}, "pair 1 right is missing"),
        (8, {"type": "essay"}, "unknown type"),
        (1, {"prompt": ""}, "prompt is missing"),
        (1, {"points": 0}, "points must be"),
    ],
)
def test_malformed_spec_names_the_question_and_writes_nothing(lesson, number, patch, message):
    spec = copy.deepcopy(SPEC)
    spec["questions"][number - 1].update(patch)
    with pytest.raises(ValueError, match=rf"question {number}: .*{message}"):
        quiz_load(spec=spec, page=lesson, key="bad")
    assert not Quiz.objects.exists() and not Question.objects.exists()


def test_malformed_update_leaves_the_old_quiz(lesson):
    quiz_load(spec=SPEC, page=lesson, key="k")
    spec = copy.deepcopy(SPEC)
    spec["title"] = "New title"
    spec["questions"][2]["answer"] = None
    with pytest.raises(ValueError, match="question 3"):
        quiz_load(spec=spec, page=lesson, key="k")
    assert Quiz.objects.get().title == SPEC["title"]


def test_every_curriculum_quiz_loads(lesson):
    files = sorted(CURRICULUM.glob("m*/t*.yaml"))
    assert files
    loaded = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not data.get("quiz"):
            continue
        quiz_load(spec=data["quiz"], page=lesson, key=str(path.relative_to(CURRICULUM)))
        quiz = Quiz.objects.get(page=lesson)
        assert quiz.questions.count() == len(data["quiz"]["questions"]), path
        for question in quiz.questions.all():
            assert question.answer_key_text(), (path, question.prompt_text)
        loaded += 1
    assert loaded >= 8
