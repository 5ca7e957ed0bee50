"""One attempt as the pupil sees it: `attempt_detail` is the only builder (HTML, API and the
data for JavaScript all use it). Answer keys, explanations and choice feedback are filled in
only when `visibility.attempt_visibility` allows; option values are per-attempt tokens and every
order comes from the secret key (see `question_view`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .answer_shapes import response_to_client
from .cache import quiz_questions
from .models import RIGHT, Answer, Attempt, Question, Quiz, choice_token, secret_random, shuffled
from .policy import QuizPolicy, policy_resolve
from .visibility import Visibility, attempt_visibility


@dataclass
class Option:
    value: str
    text: str
    match_text: str = ""
    feedback: str = ""  # only set when feedback is visible and the pupil chose it
    is_correct: bool | None = None  # only set when answers are visible


@dataclass
class QuestionView:
    question: Question
    number: int
    options: list[Option] = field(default_factory=list)  # single / multiple / true_false
    items: list[Option] = field(default_factory=list)  # ordering (tokens)
    lefts: list[Option] = field(default_factory=list)  # matching, left column (ids)
    rights: list[Option] = field(default_factory=list)  # matching, right column (tokens)
    response: dict | None = None  # the saved answer, in client shape
    revision: int = 0
    locked: bool = False
    show_feedback: bool = False
    show_key: bool = False
    is_correct: bool | None = None
    score: Decimal | None = None
    needs_marking: bool = False
    feedback: list[str] = field(default_factory=list)
    key_text: str = ""
    explanation: str = ""
    comment: str = ""
    error: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def selected(self) -> set[str]:
        """Chosen values as strings, for pre-filling choice inputs."""
        r = self.response or {}
        if "choice" in r:
            return {r["choice"]}
        if "choices" in r:
            return set(r["choices"])
        if "value" in r and isinstance(r["value"], bool):
            return {"true" if r["value"] else "false"}
        return set()

    @property
    def text_value(self) -> str:
        r = self.response or {}
        return (
            str(r.get("text", r.get("value", "")))
            if self.kind in ("short_text", "open", "numeric")
            else ""
        )

    @property
    def item_rows(self) -> list[tuple[Option, int | None]]:
        """Ordering: each item with the place the pupil gave it (1 = first)."""
        response = self.response or {}
        if "places" in response:  # as the pupil typed them, even when they are not valid
            typed = response["places"] or {}
            return [(item, _place(typed.get(item.value))) for item in self.items]
        places = {t: i + 1 for i, t in enumerate(response.get("order", []))}
        return [(item, places.get(item.value)) for item in self.items]

    @property
    def places(self) -> range:
        return range(1, len(self.items) + 1)

    @property
    def left_rows(self) -> list[tuple[Option, str]]:
        """Matching: each left item with the right-hand token the pupil chose."""
        pairs = (self.response or {}).get("pairs", {}) or {}
        return [(left, pairs.get(left.value) or "") for left in self.lefts]


def _place(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() and len(text) < 4 else None


@dataclass
class AttemptDetail:
    attempt: Attempt
    policy: QuizPolicy
    visibility: Visibility
    questions: list[QuestionView]
    graded: Decimal | None = None


def reader_seed(user, quiz: Quiz) -> int:
    """The seed for reading a quiz outside an attempt: the reader's open attempt's, else one
    made from the secret key, the reader and the quiz, so values and orders are the reader's
    own and cannot be recomputed or compared with a classmate's."""
    attempt = (
        Attempt.objects.in_progress()
        .filter(pupil=user, quiz=quiz)
        .values_list("seed", flat=True)
        .first()
        if user.is_pupil
        else None
    )
    if attempt is not None:
        return attempt
    return secret_random("reader", user.pk, quiz.pk).randrange(2**31)


def _ordered_questions(questions: list[Question], attempt: Attempt, policy) -> list[Question]:
    if policy.shuffle_questions:
        questions = list(questions)
        secret_random("questions", attempt.seed).shuffle(questions)
    return questions


def question_view(
    question: Question,
    number: int,
    *,
    seed: int,
    shuffle_choices: bool,
    answer: Answer | None = None,
    visibility: Visibility | None = None,
    policy: QuizPolicy | None = None,
) -> QuestionView:
    """One question as a pupil sees it. Values are tokens of `seed`; every order comes from
    an HMAC of the secret key with the seed (`secret_random`), never from ids or the
    authored order, except choices of a quiz that does not shuffle them (the author's order,
    which the curriculum lint keeps from favouring the correct position)."""
    choices = question.live_choices()
    rng = secret_random("order", seed, question.pk)
    view = QuestionView(question=question, number=number)
    kind = question.kind
    if kind in Question.CHOICE_KINDS:
        ordered = shuffled(choices, rng) if shuffle_choices else choices
        view.options = [Option(choice_token(seed, c.pk), c.text) for c in ordered]
    elif kind == Question.Kind.TRUE_FALSE:
        view.options = [Option("true", str(_("True"))), Option("false", str(_("False")))]
    elif kind == Question.Kind.ORDERING:
        view.items = [Option(choice_token(seed, c.pk), c.text) for c in shuffled(choices, rng)]
    elif kind == Question.Kind.MATCHING:
        view.lefts = [Option(choice_token(seed, c.pk), c.text) for c in choices]
        view.rights = [
            Option(choice_token(seed, c.pk, RIGHT), c.match_text) for c in shuffled(choices, rng)
        ]
    if answer is not None:
        view.response = response_to_client(question, answer.response, seed=seed)
        view.revision = answer.revision
        view.locked = answer.checked_at is not None
    if visibility is not None:
        _fill_feedback(view, question, choices, answer, visibility, seed)
    return view


def _fill_feedback(
    view: QuestionView, question, choices, answer, visibility, view_seed: int
) -> None:
    """The only place answer keys and feedback enter what a pupil sees."""
    checked = answer is not None and answer.checked_at is not None
    view.show_feedback = visibility.feedback or (visibility.checked_feedback and checked)
    view.show_key = visibility.answers
    by_token = {choice_token(view_seed, c.pk): c for c in choices}
    if view.show_feedback:
        if answer is not None:
            view.is_correct, view.score, view.comment = (
                answer.is_correct,
                answer.score,
                answer.comment,
            )
            view.needs_marking = (
                not question.is_auto_graded and answer.marked_at is None and bool(answer.response)
            )
        else:
            view.is_correct, view.score = (
                (None, None) if not question.is_auto_graded else (False, Decimal(0))
            )
        picked = _picked_ids(question, answer)
        view.feedback = [c.feedback for c in choices if c.pk in picked and c.feedback]
        for option in view.options:
            choice = by_token.get(option.value)
            if choice is not None and choice.pk in picked:
                option.feedback = choice.feedback
    if view.show_key:
        view.key_text = question.answer_key_text() if question.is_auto_graded else ""
        view.explanation = question.explanation
        for option in view.options:
            if question.kind == Question.Kind.TRUE_FALSE:
                option.is_correct = (option.value == "true") == bool(question.answer_bool)
            else:
                option.is_correct = by_token[option.value].is_correct


def _picked_ids(question, answer) -> set[int]:
    if answer is None:
        return set()
    r = answer.response or {}
    if question.kind == Question.Kind.SINGLE and r.get("choice") is not None:
        return {r["choice"]}
    if question.kind == Question.Kind.MULTIPLE:
        return set(r.get("choices", []))
    return set()


def attempt_detail(attempt: Attempt, *, now=None, with_feedback: bool = True) -> AttemptDetail:
    """Questions in this attempt's order with saved answers; feedback as the settings allow.

    Queries: questions, their choices, the attempt's answers (the attempt comes with its quiz
    and assignment loaded).
    """
    now = now or timezone.now()
    policy = policy_resolve(quiz=attempt.quiz, link=attempt.assignment_pupil)
    visibility = attempt_visibility(attempt=attempt, policy=policy, now=now)
    # Questions and answers already in hand (just graded, or a brand-new attempt).
    graded = getattr(attempt, "graded_rows", None)
    if graded is not None:
        questions, answer_rows = graded
    else:
        questions = list(quiz_questions(attempt.quiz))
        answer_rows = Answer.objects.filter(attempt=attempt)
    answers = {a.question_id: a for a in answer_rows}
    views = [
        question_view(
            q,
            n,
            seed=attempt.seed,
            shuffle_choices=policy.shuffle_choices,
            answer=answers.get(q.pk),
            visibility=visibility if with_feedback else None,
            policy=policy,
        )
        for n, q in enumerate(_ordered_questions(questions, attempt, policy), start=1)
    ]
    return AttemptDetail(attempt=attempt, policy=policy, visibility=visibility, questions=views)
