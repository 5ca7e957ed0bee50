"""Quizzes with one question of every type, classes with assignments, quick attempts."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from reelearn.classroom.models import (
    Assignment,
    AssignmentPupil,
    Classroom,
    ClassTeacher,
    Membership,
)
from reelearn.quizzes.models import RIGHT, Choice, Question, Quiz, choice_token

Kind = Question.Kind


def make_quiz(page, *, title="Rare earths quiz", kinds=None, publish=True, **settings) -> Quiz:
    """A quiz on `page` with one question of each kind in `kinds` (default: all eight), open
    for practice unless `open_for_practice=False` (most tests start attempts outside an
    assignment)."""
    settings.setdefault("open_for_practice", True)
    quiz = Quiz.objects.create(page=page, title=title, live=publish, **settings)
    for position, kind in enumerate(kinds or list(Kind.values)):
        add_question(quiz, kind, position)
    if publish:
        quiz.save_revision().publish()
    return Quiz.objects.get(pk=quiz.pk)


def add_question(quiz: Quiz, kind: str, position: int = 0, **fields) -> Question:
    base = {
        "quiz": quiz,
        "kind": kind,
        "sort_order": position,
        "points": 4 if kind == Kind.OPEN else 1,
        "prompt": f"<p>Question about {kind}?</p>",
        "hint": "Think about magnets.",
        "explanation": f"EXPLANATION-SECRET-{kind}",
    }
    base.update(fields)
    if kind == Kind.TRUE_FALSE:
        base.setdefault("answer_bool", True)
    if kind == Kind.SHORT_TEXT:
        base.setdefault("accepted_answers", "Neodymium\nNd")
    if kind == Kind.NUMERIC:
        base.setdefault("numeric_answer", Decimal("120"))
        base.setdefault("numeric_tolerance", Decimal("0.5"))
        base.setdefault("unit", "times")
    if kind == Kind.OPEN:
        base.setdefault("marking_guide", "MARKING-GUIDE-SECRET")
    question = Question.objects.create(**base)
    if kind == Kind.SINGLE:
        _choices(
            question,
            [
                ("Seventeen", True, "FEEDBACK-RIGHT"),
                ("Five", False, "FEEDBACK-WRONG"),
                ("Ninety", False, ""),
            ],
        )
    elif kind == Kind.MULTIPLE:
        _choices(
            question,
            [
                ("Neodymium", True, ""),
                ("Dysprosium", True, ""),
                ("Iron", False, "Iron is common."),
                ("Copper", False, ""),
            ],
        )
    elif kind == Kind.ORDERING:
        _choices(
            question,
            [
                ("mine", False, ""),
                ("separate", False, ""),
                ("make metal", False, ""),
                ("make magnet", False, ""),
            ],
        )
    elif kind == Kind.MATCHING:
        for i, (left, right) in enumerate(
            [("Neodymium", "Magnets"), ("Europium", "Red light"), ("Cerium", "Polishing glass")]
        ):
            Choice.objects.create(question=question, sort_order=i, text=left, match_text=right)
    return question


def _choices(question, rows):
    for i, (text, correct, feedback) in enumerate(rows):
        Choice.objects.create(
            question=question, sort_order=i, text=text, is_correct=correct, feedback=feedback
        )


def make_class(teacher, pupils, *, name="Year 8 Science") -> Classroom:
    classroom = Classroom.objects.create(name=name)
    ClassTeacher.objects.create(classroom=classroom, teacher=teacher)
    for pupil in pupils:
        Membership.objects.create(classroom=classroom, pupil=pupil)
    return classroom


def assign(
    classroom, page, pupils, *, due_at=None, quiz_settings=None, title=None, open_at=None
) -> Assignment:
    assignment = Assignment.objects.create(
        classroom=classroom,
        page=page,
        tier=getattr(page.specific, "tier", "t1"),
        title=title or f"Assignment {page.title}",
        status=Assignment.Status.ASSIGNED,
        open_at=open_at or timezone.now() - timezone.timedelta(days=1),
        due_at=due_at,
        quiz_settings=quiz_settings or {},
    )
    for pupil in pupils:
        AssignmentPupil.objects.create(assignment=assignment, pupil=pupil)
    return assignment


def link_for(assignment, pupil) -> AssignmentPupil:
    return AssignmentPupil.objects.select_related("assignment__page").get(
        assignment=assignment, pupil=pupil
    )


def tok(attempt, choice_or_text, question=None, side="") -> str:
    """The client token of a choice (by object, or by text within `question`); side=RIGHT for
    the right-hand column of a matching question."""
    if isinstance(choice_or_text, str):
        choice_or_text = question.choices.get(text=choice_or_text)
    return choice_token(attempt.seed, choice_or_text.pk, side)


def right_answers(attempt) -> dict[int, dict]:
    """Client-shaped correct answers for every auto-graded question of the attempt's quiz."""
    out = {}
    for q in attempt.quiz.questions.prefetch_related("choices"):
        choices = list(q.choices.all())
        t = lambda c: choice_token(attempt.seed, c.pk)  # noqa: E731
        if q.kind == Kind.SINGLE:
            out[q.pk] = {"choice": t(next(c for c in choices if c.is_correct))}
        elif q.kind == Kind.MULTIPLE:
            out[q.pk] = {"choices": [t(c) for c in choices if c.is_correct]}
        elif q.kind == Kind.TRUE_FALSE:
            out[q.pk] = {"value": bool(q.answer_bool)}
        elif q.kind == Kind.SHORT_TEXT:
            out[q.pk] = {"text": q.accepted_list()[0]}
        elif q.kind == Kind.NUMERIC:
            out[q.pk] = {"value": str(q.numeric_answer)}
        elif q.kind == Kind.ORDERING:
            out[q.pk] = {"order": [t(c) for c in choices]}
        elif q.kind == Kind.MATCHING:
            out[q.pk] = {"pairs": {t(c): choice_token(attempt.seed, c.pk, RIGHT) for c in choices}}
        elif q.kind == Kind.OPEN:
            out[q.pk] = {"text": "Because magnets need them."}
    return out
