"""Lesson search in the reader's language.

English uses Wagtail's search index (PostgreSQL full text with the `english` configuration, or
Wagtail's database backend in embedded mode). Other languages search their own locale's lessons:
on PostgreSQL with that language's text-search configuration where PostgreSQL has one (Spanish,
Portuguese) and `simple` where it has none (Burmese, Jinghpaw, Chinese). Burmese and Chinese are
written without spaces between words, so `simple` finds a word only where a space happens to
follow it; for those, a phrase the reader typed is also looked for inside the text. With SQLite,
every language falls back to that inside-the-text match on the locale's lessons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast

# PostgreSQL's text-search configurations for our languages; the rest use `simple`.
CONFIGS = {"en": "english", "es": "spanish", "pt": "portuguese"}
UNSPACED = {"my", "zh-hans"}


def config_for(language: str) -> str:
    return CONFIGS.get(language, "simple")


def search_lessons(lessons, query: str, language: str):
    """`lessons` (a LessonPage queryset) matching `query` in `language`, best first."""
    if language == settings.LANGUAGE_CODE:
        from wagtail.models import Locale

        return lessons.filter(locale=Locale.objects.get(language_code=language)).search(query)
    lessons = lessons.filter(locale__language_code=language).annotate(
        body_text=Cast("body", TextField())
    )
    inside = _inside_text(query)
    if connection.vendor != "postgresql":
        return lessons.filter(inside).order_by("path")
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    config = config_for(language)
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("outcome", weight="B", config=config)
        + SearchVector("body_text", weight="C", config=config)
    )
    wanted = SearchQuery(query, config=config, search_type="websearch")
    found = lessons.annotate(rank=SearchRank(vector, wanted))
    matches = Q(rank__gt=0)
    if language in UNSPACED:
        matches |= inside
    return found.filter(matches).order_by("-rank", "path")


def _inside_text(query: str) -> Q:
    return Q(title__icontains=query) | Q(outcome__icontains=query) | Q(body_text__icontains=query)
