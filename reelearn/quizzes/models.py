"""Quizzes are rows: Quiz → Question → Choice; Attempt → Answer (one per question per attempt).

A quiz belongs to a lesson or a module-tier page. Editors write it in the Wagtail admin as a
snippet with drafts, revisions and a preview; pupils only ever see the live (published) rows.
Answer keys live in fields that no pupil-facing serializer or template reads before the
settings allow (see `visibility.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

PROMPT_FEATURES = ["bold", "italic", "ol", "ul", "link", "superscript", "subscript"]
MAX_TEXT_ANSWER = 5000


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class FeedbackTiming(models.TextChoices):
    IMMEDIATE = "immediate", _("Per question, as soon as the pupil checks it")
    AFTER_SUBMIT = "after_submit", _("After submitting")
    AFTER_DUE = "after_due", _("After the due date")


class AnswersTiming(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_SUBMIT = "after_submit", _("After submitting")
    AFTER_DUE = "after_due", _("After the due date")


class QuizQuerySet(models.QuerySet):
    def live(self) -> QuizQuerySet:
        """Live quizzes pupils take: English ones (a translation only lends its words)."""
        return self.filter(live=True, locale__language_code=settings.LANGUAGE_CODE)


class Quiz(
    TranslatableMixin,
    PreviewableMixin,
    DraftStateMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    """A quiz attached to one lesson or module-tier page, with its default settings.

    Translations (wagtail-localize) are rows in other locales sharing the translation key, and
    carry words only: pupils always take the English quiz, shown in their language
    (`reelearn.quizzes.translations`), so every key, score, gradebook and item analysis is one
    quiz's whatever the language.
    """

    title = models.CharField(_("title"), max_length=200)
    # The English page in every language (see the class docstring).
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="quizzes",
        verbose_name=_("lesson or module-tier"),
        help_text=_("The lesson (or module at one age tier) this quiz belongs to."),
    )
    intro = models.TextField(_("introduction for pupils"), blank=True, max_length=1000)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=1,
        validators=[MaxValueValidator(50)],
        help_text=_("0 means as many as the pupil likes."),
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=16,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leave empty for no time limit."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    feedback_timing = models.CharField(
        _("feedback shows"),
        max_length=16,
        choices=FeedbackTiming.choices,
        default=FeedbackTiming.AFTER_SUBMIT,
    )
    answers_timing = models.CharField(
        _("correct answers show"),
        max_length=16,
        choices=AnswersTiming.choices,
        default=AnswersTiming.AFTER_DUE,
    )
    open_for_practice = models.BooleanField(
        _("open for practice"),
        default=False,
        help_text=_(
            "Any pupil may practise this quiz outside an assignment, and sees the "
            "answers as the settings allow. Pupils whose class is set this quiz can "
            "practise it only once its answers are released to them."
        ),
    )
    # Written by curriculum.quiz_load: the spec it was last loaded from, so reloading an
    # unchanged spec writes nothing.
    source_key = models.CharField(max_length=200, null=True, blank=True, editable=False)
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")

    # What a translator translates: words. Everything else is the English quiz's.
    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("intro"),
        TranslatableField("questions"),
        SynchronizedField("page"),
    ]

    objects = QuizQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("page"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("grading_method")]),
                FieldRowPanel(
                    [
                        FieldPanel("time_limit_minutes"),
                        FieldPanel("shuffle_questions"),
                        FieldPanel("shuffle_choices"),
                    ]
                ),
                FieldRowPanel([FieldPanel("feedback_timing"), FieldPanel("answers_timing")]),
                FieldPanel("open_for_practice"),
            ],
            heading=_("Settings (teachers can change them per assignment)"),
        ),
        InlinePanel("questions", heading=_("Questions"), label=_("Question"), min_num=1),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title", "pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "locale"], name="quiz_source_key_per_locale"
            ),
            models.UniqueConstraint(fields=["page", "locale"], name="quiz_per_page_and_locale"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def get_preview_template(self, request, mode_name):
        return "quizzes/quiz_preview.html"

    @property
    def max_score(self) -> int:
        return sum(q.points for q in self.questions.all() if not q.retired)


class Question(TranslatableMixin, ClusterableModel, Orderable):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice (choose all that apply)")
        TRUE_FALSE = "true_false", _("True or false")
        SHORT_TEXT = "short_text", _("Short text")
        NUMERIC = "numeric", _("Number")
        ORDERING = "ordering", _("Put in order")
        MATCHING = "matching", _("Matching pairs")
        OPEN = "open", _("Open response (marked by the teacher)")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    ROW_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.ORDERING, Kind.MATCHING)

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    prompt = RichTextField(_("prompt"), features=PROMPT_FEATURES)
    image = models.ForeignKey(
        "lessons.CurriculumImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    hint = models.TextField(_("hint"), blank=True, max_length=1000)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        max_length=2000,
        help_text=_("Shown with the correct answers. Name the source of any statistic."),
    )
    answer_bool = models.BooleanField(
        _("correct answer (true or false questions)"), null=True, blank=True
    )
    accepted_answers = models.TextField(
        _("accepted answers (short text)"),
        blank=True,
        help_text=_("One per line. Case, spaces and accents written differently still match."),
    )
    numeric_answer = models.DecimalField(
        _("correct number"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance (±)"),
        max_digits=20,
        decimal_places=6,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    marking_guide = models.TextField(_("marking guide (open responses; teachers only)"), blank=True)
    # The curriculum loader's stable identity for the question (its type and words, or the
    # source's `key`): a question whose words change is a new row, and the old one, if anyone
    # answered it, is retired (kept with its answers, out of the quiz) instead of reworded.
    key = models.CharField(max_length=64, blank=True, editable=False)
    retired = models.BooleanField(default=False, editable=False)
    # On the English question: the accepted answers of its translations, one per line, kept
    # by a signal, so a short answer in any language scores wherever the quiz is graded.
    accepted_in_translations = models.TextField(blank=True, editable=False)

    override_translatable_fields = [
        TranslatableField("prompt"),
        TranslatableField("image_alt"),
        TranslatableField("hint"),
        TranslatableField("explanation"),
        TranslatableField("accepted_answers"),
        TranslatableField("unit"),
        TranslatableField("marking_guide"),
        TranslatableField("choices"),
        SynchronizedField("kind"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("points")]),
        FieldPanel("prompt"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_alt")]),
        FieldPanel("hint"),
        InlinePanel(
            "choices",
            heading=_("Choices, items in the correct order, or pairs"),
            label=_("Choice / item / pair"),
        ),
        FieldPanel("answer_bool"),
        FieldPanel("accepted_answers"),
        FieldRowPanel(
            [FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance"), FieldPanel("unit")]
        ),
        FieldPanel("marking_guide"),
        FieldPanel("explanation"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question")

    def __str__(self) -> str:
        return strip_tags(self.prompt)[:80]

    @property
    def prompt_text(self) -> str:
        return strip_tags(self.prompt).strip()

    @property
    def is_auto_graded(self) -> bool:
        return self.kind != self.Kind.OPEN

    def accepted_list(self) -> list[str]:
        lines = normalize_newlines(self.accepted_answers or "").split("\n")
        return [line.strip() for line in lines if line.strip()]

    def accepted_in_any_language(self) -> list[str]:
        """What scores a short answer: this question's accepted answers and its translations'."""
        lines = normalize_newlines(self.accepted_in_translations or "").split("\n")
        return self.accepted_list() + [line.strip() for line in lines if line.strip()]

    def answer_key_text(self) -> str:
        """The correct answer in words, for a marking scheme (teachers only)."""
        kind = self.kind
        choices = self.live_choices() if kind in self.ROW_KINDS else []
        if kind in self.CHOICE_KINDS:
            return "; ".join(c.text for c in choices if c.is_correct)
        if kind == self.Kind.TRUE_FALSE:
            if self.answer_bool is None:
                return ""
            return str(_("True") if self.answer_bool else _("False"))
        if kind == self.Kind.SHORT_TEXT:
            return " / ".join(self.accepted_list())
        if kind == self.Kind.NUMERIC:
            if self.numeric_answer is None:
                return ""
            text = format_decimal(self.numeric_answer)
            if self.numeric_tolerance:
                text += f" ± {format_decimal(self.numeric_tolerance)}"
            return f"{text} {self.unit}".strip()
        if kind == self.Kind.ORDERING:
            return " → ".join(c.text for c in choices)
        if kind == self.Kind.MATCHING:
            return "; ".join(f"{c.text} – {c.match_text}" for c in choices)
        return self.marking_guide

    def live_choices(self) -> list[Choice]:
        """The choices pupils see and the key is made of, in authored order (retired rows,
        which only old answers point at, left out). Uses prefetched rows when there are any."""
        return [c for c in self.choices.all() if not c.retired]

    def paper_options(self, printing: str) -> dict:
        """What a paper sheet shows, with no key: every key present, unused ones empty.

        {"choices": [...], "items": [...], "left": [...], "right": [...], "unit": str}.
        Items to order and the right-hand column of pairs are always shuffled (their authored
        order is the key); choices when the quiz shuffles choices. The order comes from the
        secret key and `printing` (the digest of the quiz as printed), so the student and
        teacher editions of one printing agree and building twice gives the same file, while
        nobody without the secret can recompute it.
        """
        choices = self.live_choices()
        rng = secret_random("paper", printing, self.pk)
        options = {"choices": [], "items": [], "left": [], "right": [], "unit": self.unit}
        if self.kind in self.CHOICE_KINDS:
            texts = [c.text for c in choices]
            if self.quiz.shuffle_choices:
                rng.shuffle(texts)
            options["choices"] = texts
        elif self.kind == self.Kind.TRUE_FALSE:
            options["choices"] = [str(_("True")), str(_("False"))]
        elif self.kind == self.Kind.ORDERING:
            options["items"] = shuffled([c.text for c in choices], rng)
        elif self.kind == self.Kind.MATCHING:
            options["left"] = [c.text for c in choices]
            options["right"] = shuffled([c.match_text for c in choices], rng)
        return options


def format_decimal(value: Decimal) -> str:
    """A decimal as people write it: 120, 0.5 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def secret_random(*parts) -> random.Random:
    """A random generator seeded by an HMAC of the secret key with `parts` (an attempt's seed
    and a question id, say): its orders cannot be recomputed from anything a pupil sees."""
    key = hmac.digest(settings.SECRET_KEY.encode(), ":".join(map(str, parts)).encode(), "sha256")
    return random.Random(key)  # noqa: S311 - seeded from a secret; presentation order only


def shuffled(values: list, rng: random.Random) -> list:
    """A plain shuffle. Not a derangement: an order that is never the key tells the key for
    two items and narrows it for more."""
    values = list(values)
    rng.shuffle(values)
    return values


class Choice(TranslatableMixin, Orderable):
    """A choice (single/multiple), an item in its correct place (ordering), or a pair."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    match_text = models.CharField(_("matches (pairs only)"), max_length=500, blank=True)
    feedback = models.CharField(_("feedback when chosen"), max_length=1000, blank=True)
    # A stable name for this choice in the curriculum source: reordering choices keeps their
    # rows (and the answers pointing at them); a changed choice becomes a new row.
    key = models.CharField(max_length=64, blank=True, editable=False)
    # Replaced by an edit: kept so that answers given before the edit keep their text and
    # score, never shown to pupils nor part of the key.
    retired = models.BooleanField(default=False, editable=False)

    override_translatable_fields = [
        TranslatableField("text"),
        TranslatableField("match_text"),
        TranslatableField("feedback"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")]),
        FieldPanel("match_text"),
        FieldPanel("feedback"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("choice")

    def __str__(self) -> str:
        return self.text

    @staticmethod
    def key_for(text: str, match_text: str = "") -> str:
        """The key of a choice the source names none for: its words (both sides of a pair)."""
        words = " ".join(f"{text}\x1f{match_text}".split()).casefold()
        return hashlib.sha256(words.encode()).hexdigest()[:16]


RIGHT = "r"  # the side of a matching question's right-hand column


def choice_token(seed: int, choice_id: int, side: str = "") -> str:
    """An opaque value for a choice, item or pair side, per attempt: an HMAC of the secret key
    with the attempt's seed. Choice ids follow the authored order (often the key), so they
    never reach a pupil. The right-hand column of a matching question has `side=RIGHT`, so a
    left item and its partner never share a value.

    Showing, saving and grading an attempt ask for the same few dozen tokens again and again;
    they are remembered per secret key, so a rotated key never serves an old token.
    """
    return _choice_token(settings.SECRET_KEY, seed, choice_id, side)


@lru_cache(maxsize=16_384)
def _choice_token(secret: str, seed: int, choice_id: int, side: str) -> str:
    message = f"{seed}:{side}{choice_id}".encode()
    return "t" + hmac.digest(secret.encode(), message, "sha256").hex()[:10]


def deadline_grace_seconds() -> int:
    """How late after its deadline a save still counts (a request already on its way)."""
    return getattr(settings, "QUIZZES_DEADLINE_GRACE_SECONDS", 5)


class AttemptQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttemptQuerySet:
        """Pupils: their own attempts. Teachers: attempts of pupils in classes they teach."""
        if not user.is_authenticated:
            return self.none()
        if user.is_pupil:
            return self.filter(pupil=user)
        if user.is_verified_teacher:
            return self.filter(assignment_pupil__assignment__classroom__teachers=user).distinct()
        return self.none()

    def submitted(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.SUBMITTED)

    def in_progress(self) -> AttemptQuerySet:
        return self.filter(status=Attempt.Status.IN_PROGRESS)


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper (marks typed in by the teacher)")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    assignment_pupil = models.ForeignKey(
        "classroom.AssignmentPupil",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ONLINE)
    seed = models.PositiveIntegerField(default=0)
    # The language the pupil reads this attempt in (the quiz's words come from its
    # translation in that language; keys and scores are the English quiz's).
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    needs_marking = models.BooleanField(default=False)
    graded_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "quiz"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_pupil_and_quiz",
            ),
            models.UniqueConstraint(
                fields=["pupil", "quiz", "assignment_pupil", "number"],
                condition=Q(assignment_pupil__isnull=False),
                name="unique_attempt_number_per_assignment",
            ),
            models.UniqueConstraint(
                fields=["pupil", "quiz", "number"],
                condition=Q(assignment_pupil__isnull=True),
                name="unique_attempt_number_in_practice",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False),
                name="submitted_attempt_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="attempt_open_deadline"),
            models.Index(fields=["quiz", "status"], name="attempt_quiz_status"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.pupil})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_paper(self) -> bool:
        return self.source == self.Source.PAPER

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.max_score:
            return None
        return round(self.score * 100 / self.max_score)

    def is_expired(self, now=None) -> bool:
        if self.deadline_at is None:
            return False
        now = now or timezone.now()
        return now > self.deadline_at + timezone.timedelta(seconds=deadline_grace_seconds())

    def seconds_left(self, now=None) -> int | None:
        if self.deadline_at is None:
            return None
        now = now or timezone.now()
        return max(0, int((self.deadline_at - now).total_seconds()))


class Answer(models.Model):
    """One pupil's answer to one question in one attempt; saved many times, graded on submit."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField(default=dict, blank=True)
    # The client's revision of this answer (milliseconds); a save with an older one is ignored.
    revision = models.BigIntegerField(default=0)
    saved_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text="Locked after immediate feedback was shown."
    )
    is_correct = models.BooleanField(null=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True, max_length=MAX_TEXT_ANSWER)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_answer_per_question_per_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in attempt {self.attempt_id}"

    @property
    def needs_marking(self) -> bool:
        return self.question.kind == Question.Kind.OPEN and self.marked_at is None
