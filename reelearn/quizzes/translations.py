"""A quiz in the pupil's language: the English quiz's questions with a translation's words.

Pupils always take the English quiz (its ids, tokens, keys and scores); a translation made in
wagtail-localize lends its words only — prompt, hint, explanation, alt text, unit and marking
guide of each question, the text, pair and feedback of each choice — matched by translation
key. Short answers are the exception that must score: a translation's accepted answers are
copied onto the English question (`accepted_in_translations`) whenever the translation is saved,
so every grading path, regrading included, accepts them.

The English questions come from the shared quiz cache and are never changed: a localized
question is a shallow copy with its own choices.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

from .models import Choice, Question, Quiz

QUESTION_WORDS = ("prompt", "image_alt", "hint", "explanation", "unit", "marking_guide")
CHOICE_WORDS = ("text", "match_text", "feedback")


def source_language() -> str:
    return settings.LANGUAGE_CODE


def translation_of(quiz: Quiz, language: str) -> Quiz | None:
    """The live translation of the English `quiz` in `language`, with its questions and
    choices; None for English or when there is none. One query, plus two when there is one."""
    if not language or language == source_language():
        return None
    return (
        Quiz.objects.filter(
            translation_key=quiz.translation_key, locale__language_code=language, live=True
        )
        .prefetch_related("questions__choices")
        .first()
    )


def attempt_language(
    quiz: Quiz, language: str | None = None, *, assigned: str | None = None
) -> str:
    """The language a new attempt is read in: the assignment's (`assigned`) when the quiz is
    translated into it, else the reader's (`language`, default the active one) when it is,
    else English. An assignment in English leaves it to the reader. One query at most."""
    wanted = [assigned, language or get_language() or source_language()]
    wanted = [code for code in wanted if code and code != source_language()]
    if not wanted:
        return source_language()
    live = set(
        Quiz.objects.filter(
            translation_key=quiz.translation_key, locale__language_code__in=wanted, live=True
        ).values_list("locale__language_code", flat=True)
    )
    return next((code for code in wanted if code in live), source_language())


def localized(questions, translation: Quiz | None) -> list[Question]:
    """`questions` (English, shared: left untouched) with `translation`'s words."""
    if translation is None:
        return list(questions)
    by_key = {q.translation_key: q for q in translation.questions.all()}
    return [_question(q, by_key.get(q.translation_key)) for q in questions]


def _with_words(row, words, names):
    """A copy of `row` with each of `names` taken from `words` where it says something."""
    local = copy.copy(row)
    for name in names:
        value = getattr(words, name)
        if value:
            setattr(local, name, value)
    return local


def _question(question: Question, words: Question | None) -> Question:
    if words is None:
        return question
    local = _with_words(question, words, QUESTION_WORDS)
    choices_by_key = {c.translation_key: c for c in words.choices.all()}
    local._cluster_related_objects = {
        **getattr(question, "_cluster_related_objects", {}),
        "choices": [
            _choice(c, choices_by_key.get(c.translation_key)) for c in question.choices.all()
        ],
    }
    local._prefetched_objects_cache = {}
    return local


def _choice(choice: Choice, words: Choice | None) -> Choice:
    return choice if words is None else _with_words(choice, words, CHOICE_WORDS)


def quiz_words(quiz: Quiz, language: str | None) -> Quiz:
    """`quiz` with its title and introduction in `language` when translated (a copy)."""
    return quiz_in(quiz, language)[0]


def quiz_in(quiz: Quiz, language: str | None) -> tuple[Quiz, Quiz | None]:
    """(`quiz` with its title and introduction in `language`, the translation lending them),
    or (`quiz`, None) when it has no live translation in `language`."""
    translation = translation_of(quiz, language or "")
    if translation is None:
        return quiz, None
    return _with_words(quiz, translation, ("title", "intro")), translation


# --- Keeping the English quiz in step with its translations ----------------------------------


def _english(model, row):
    return model.objects.filter(
        translation_key=row.translation_key, locale__language_code=source_language()
    )


@receiver(post_save, sender=Question)
def translated_question_saved(sender, instance: Question, raw=False, **kwargs):
    """A translation's accepted answers score on the English question."""
    if raw or instance.locale.language_code == source_language():
        return
    accepted = sorted(
        {
            line
            for q in Question.objects.filter(translation_key=instance.translation_key)
            .exclude(locale__language_code=source_language())
            .only("accepted_answers")
            for line in q.accepted_list()
        }
    )
    _english(Question, instance).update(accepted_in_translations="\n".join(accepted))


@receiver(post_save, sender=Quiz)
def translated_quiz_saved(sender, instance: Quiz, raw=False, **kwargs):
    """A translation saved or published: the English quiz's version moves on, so every cache
    of its questions (each process's, the lesson bodies') is read again."""
    if raw or instance.locale.language_code == source_language():
        return
    _english(Quiz, instance).update(updated_at=timezone.now())
