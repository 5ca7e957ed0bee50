"""One attempt as the pupil sees it: `attempt_detail` is the only builder (HTML, API and the
data for JavaScript all use it). Answer keys, explanations and choice feedback are filled in
only when `visibility.attempt_visibility` allows; option values are per-attempt tokens and every
order comes from the secret key (see `question_view`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rows
from .answer_shapes import response_to_client
from .cache import quiz_questions
from .models import RIGHT, Answer, Attempt, Question, Quiz, choice_token, secret_random, shuffled
from .policy import QuizPolicy, policy_resolve
from .scoring import Parts, normalise_text, parts
from .translations import localized, translation_of
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
    answered: bool = False  # a saved, non-empty answer
    revision: int = 0
    locked: bool = False
    show_feedback: bool = False
    show_key: bool = False
    is_correct: bool | None = None
    score: Decimal | None = None
    needs_marking: bool = False
    feedback: list[str] = field(default_factory=list)
    credit: str = ""  # partial credit in words ("2 of the 3 pairs matched")
    key_text: str = ""
    explanation: str = ""
    comment: str = ""
    error: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def outcome(self) -> str:
        """right | partly | wrong | unanswered | pending (a teacher marks it); "" while no
        feedback is shown."""
        if not self.show_feedback:
            return ""
        if self.needs_marking:
            return "pending"
        if not self.answered:
            return "unanswered"
        if self.is_correct or (
            self.is_correct is None
            and self.score is not None
            and self.score >= self.question.points
        ):
            return "right"
        if self.score:
            return "partly"
        if self.is_correct is None and self.score is None:
            return "pending"
        return "wrong"

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

    @property
    def tally(self) -> dict[str, int]:
        """How many questions came out right, partly right, wrong, unanswered or waiting."""
        counts = dict.fromkeys(("right", "partly", "wrong", "unanswered", "pending"), 0)
        for view in self.questions:
            if view.outcome:
                counts[view.outcome] += 1
        return counts

    @property
    def unanswered(self) -> list[QuestionView]:
        return [view for view in self.questions if not view.answered]


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
        view.answered = bool(answer.response)
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
        told = {
            c.pk: c.feedback
            for c in choices
            if c.pk in picked
            and c.feedback
            and (visibility.answers or not _names_the_key(c.feedback, c, choices))
        }
        view.feedback = [c.feedback for c in choices if c.pk in told]
        for option in view.options:
            choice = by_token.get(option.value)
            if choice is not None and choice.pk in told:
                option.feedback = told[choice.pk]
        if answer is not None and answer.response and not view.is_correct:
            view.credit = credit_words(parts(question, answer.response, choices))
    if view.show_key:
        view.key_text = question.answer_key_text() if question.is_auto_graded else ""
        view.explanation = question.explanation
        for option in view.options:
            if question.kind == Question.Kind.TRUE_FALSE:
                option.is_correct = (option.value == "true") == bool(question.answer_bool)
            else:
                option.is_correct = by_token[option.value].is_correct


def _names_the_key(feedback: str, choice, choices) -> bool:
    """Whether a choice's feedback names a correct choice other than itself ("No. They are
    metals."): shown before the key is released, it would hand the key to a pupil who picked
    wrongly, and through them to the class. Words are compared as `normalise_text` does, a
    plural "s" left off, so "metal" and "metals" match."""
    said = normalise_text(feedback)
    for other in choices:
        if not other.is_correct or other.pk == choice.pk:
            continue
        words = normalise_text(other.text)
        stem = words[:-1] if len(words) > 3 and words.endswith("s") else words
        if stem and stem in said:
            return True
    return False


def credit_words(counted: Parts | None) -> str:
    """Partial credit as a child would say it; counts only, never which part was right."""
    if counted is None or not counted.total:
        return ""
    n = {"right": counted.right, "total": counted.total, "wrong": counted.wrong}
    if counted.wrong:  # choose all that apply
        return (
            ngettext(
                "You found %(right)s of the %(total)s right answers, and chose %(wrong)s that is "
                "not right.",
                "You found %(right)s of the %(total)s right answers, and chose %(wrong)s that are "
                "not right.",
                counted.wrong,
            )
            % n
        )
    return {
        Question.Kind.MULTIPLE: ngettext(
            "You found %(right)s of the %(total)s right answer.",
            "You found %(right)s of the %(total)s right answers.",
            counted.total,
        ),
        Question.Kind.ORDERING: ngettext(
            "%(right)s of the %(total)s item is in the right place.",
            "%(right)s of the %(total)s items are in the right place.",
            counted.total,
        ),
        Question.Kind.MATCHING: ngettext(
            "%(right)s of the %(total)s pair matched.",
            "%(right)s of the %(total)s pairs matched.",
            counted.total,
        ),
    }[counted.kind] % n


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
        answer_rows = rows.attempt_answers(attempt.pk)
    questions = localized(questions, translation_of(attempt.quiz, attempt.language))
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
