"""Each question type's grading, table-driven, with edge cases. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reelearn.quizzes.models import Choice, Question
from reelearn.quizzes.scoring import grade, normalise_text, parse_number

Kind = Question.Kind
D = Decimal


def question(kind, *, points=1, **fields):
    return Question(pk=1, kind=kind, points=points, prompt="<p>?</p>", **fields)


def choices(*rows):
    """rows: (pk, text, correct, match_text)."""
    return [
        Choice(pk=pk, text=text, is_correct=correct, match_text=match)
        for pk, text, correct, match in rows
    ]


SINGLE = choices((1, "17", True, ""), (2, "5", False, ""), (3, "90", False, ""))


@pytest.mark.parametrize(
    ("response", "score", "correct"),
    [
        ({"choice": 1}, D(2), True),
        ({"choice": 2}, D(0), False),
        ({"choice": 99}, D(0), False),  # unknown id
        ({}, D(0), False),  # unanswered
        (None, D(0), False),
    ],
)
def test_single_choice(response, score, correct):
    result = grade(question(Kind.SINGLE, points=2), response, SINGLE)
    assert (result.score, result.is_correct) == (score, correct)


# Two correct of four: +1/2 per right pick, -1/2 per wrong pick, floor 0.
MULTIPLE = choices(
    (1, "Nd", True, ""), (2, "Dy", True, ""), (3, "Fe", False, ""), (4, "Cu", False, "")
)


@pytest.mark.parametrize(
    ("picked", "score", "correct"),
    [
        ([1, 2], D("2.00"), True),
        ([1], D("1.00"), False),
        ([2], D("1.00"), False),
        ([1, 2, 3], D("1.00"), False),  # two right, one wrong: (2-1)/2
        ([1, 3], D("0.00"), False),  # one right, one wrong
        ([1, 3, 4], D("0.00"), False),  # floor at 0, never negative
        ([3, 4], D("0.00"), False),
        ([], D("0.00"), False),
        ([1, 2, 99], D("2.00"), True),  # an id from elsewhere is ignored, not counted as wrong
    ],
)
def test_multiple_choice_partial_credit(picked, score, correct):
    result = grade(question(Kind.MULTIPLE, points=2), {"choices": picked}, MULTIPLE)
    assert result.score == score
    assert result.is_correct == correct


def test_multiple_choice_thirds_round_to_cents():
    three = choices((1, "a", True, ""), (2, "b", True, ""), (3, "c", True, ""), (4, "d", False, ""))
    assert grade(question(Kind.MULTIPLE), {"choices": [1]}, three).score == D("0.33")
    assert grade(question(Kind.MULTIPLE), {"choices": [1, 2]}, three).score == D("0.67")


@pytest.mark.parametrize(
    ("answer", "response", "correct"),
    [
        (True, {"value": True}, True),
        (True, {"value": False}, False),
        (False, {"value": False}, True),
        (True, {"value": "true"}, False),  # only real booleans count
        (True, {}, False),
        (None, {"value": True}, False),  # no key set: never correct
    ],
)
def test_true_false(answer, response, correct):
    assert grade(question(Kind.TRUE_FALSE, answer_bool=answer), response, []).is_correct is correct


@pytest.mark.parametrize(
    ("text", "correct"),
    [
        ("neodymium", True),
        ("  NEODYMIUM  ", True),
        ("Neo dymium", True),  # space-insensitive
        ("nd", True),
        ("ＮＥＯＤＹＭＩＵＭ", True),  # full-width letters, NFKC
        ("Nd\u00a0", True),  # no-break space
        ("neodymium.", False),
        ("", False),
        ("   ", False),
        ("dysprosium", False),
    ],
)
def test_short_text(text, correct):
    q = question(Kind.SHORT_TEXT, accepted_answers="Neodymium\nNd\n")
    assert grade(q, {"text": text}, []).is_correct is correct


def test_short_text_unicode_casefold_and_composition():
    q = question(Kind.SHORT_TEXT, accepted_answers="Straße\ncafé")
    assert grade(q, {"text": "STRASSE"}, []).is_correct  # casefold ß → ss
    assert grade(q, {"text": "cafe\u0301"}, []).is_correct  # e + combining accent → é
    assert normalise_text(" Rare  Earth\t") == "rareearth"


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        ("120", True),
        ("119.5", True),  # lower tolerance bound is inclusive
        ("120.5", True),  # upper bound inclusive
        ("119.49", False),
        ("120.51", False),
        ("120 times", True),  # the unit may be typed
        ("1.2e2", True),
        ("120,0", True),  # decimal comma
        (" 120 ", True),
        ("", False),
        ("abc", False),
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_numeric_tolerance(value, correct):
    q = question(Kind.NUMERIC, numeric_answer=D(120), numeric_tolerance=D("0.5"), unit="times")
    assert grade(q, {"value": value}, []).is_correct is correct


def test_numeric_exact_and_thousands_separator():
    q = question(Kind.NUMERIC, numeric_answer=D(1200), numeric_tolerance=D(0))
    assert grade(q, {"value": "1,200"}, []).is_correct
    assert grade(q, {"value": "1 200"}, []).is_correct
    assert not grade(q, {"value": "1,201"}, []).is_correct
    assert parse_number("−3") == D(-3)
    assert parse_number(True) is None


ORDER = choices(
    (1, "mine", False, ""),
    (2, "separate", False, ""),
    (3, "metal", False, ""),
    (4, "magnet", False, ""),
)


@pytest.mark.parametrize(
    ("order", "score", "correct"),
    [
        ([1, 2, 3, 4], D("4.00"), True),
        ([2, 1, 3, 4], D("2.00"), False),  # two in their right places
        ([4, 3, 2, 1], D("0.00"), False),
        ([1, 2], D("2.00"), False),  # incomplete
        ([], D("0.00"), False),
    ],
)
def test_ordering(order, score, correct):
    result = grade(question(Kind.ORDERING, points=4), {"order": order}, ORDER)
    assert (result.score, result.is_correct) == (score, correct)


PAIRS = choices(
    (1, "Nd", False, "magnets"), (2, "Eu", False, "red light"), (3, "Ce", False, "polish")
)


@pytest.mark.parametrize(
    ("pairs", "score", "correct"),
    [
        ({"1": 1, "2": 2, "3": 3}, D("3.00"), True),
        ({"1": 1, "2": 3, "3": 2}, D("1.00"), False),
        ({"1": 1}, D("1.00"), False),
        ({"1": 1, "2": 1, "3": 1}, D("1.00"), False),  # the same right side everywhere
        ({}, D("0.00"), False),
    ],
)
def test_matching(pairs, score, correct):
    result = grade(question(Kind.MATCHING, points=3), {"pairs": pairs}, PAIRS)
    assert (result.score, result.is_correct) == (score, correct)


def test_open_response_waits_for_the_teacher():
    result = grade(question(Kind.OPEN, points=4), {"text": "An essay"}, [])
    assert result.score is None and result.is_correct is None
