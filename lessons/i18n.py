"""Content in several languages: English pages are the source, translations hang off them.

Wagtail keeps a page's translations as pages in other locales sharing its translation key
(wagtail-localize makes and syncs them). What belongs to a page but is not a page — its teacher
guide, its quiz — is attached to the English page, one row per locale, so assignments,
gradebooks and keys stay one whatever the language; these helpers find the right row.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def is_source(page) -> bool:
    return page.locale.language_code == settings.LANGUAGE_CODE


def source_page(page):
    """The English page `page` translates (itself when it is English, or has no source)."""
    if page is None or not getattr(page, "pk", None) or is_source(page):
        return page
    return (
        type(page)
        .objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .first()
        or page
    )


def in_language(rows, language: str | None = None):
    """Of the rows of one thing in several locales, the one in `language` (default: the
    active one), else the English one, else None."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    by_language = {row.locale.language_code: row for row in rows}
    return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)


def guide_for(page, language: str | None = None):
    """The teacher guide of `page` (or of the English page it translates) in `language`, else
    the English guide; None when there is none. One query (two for a translated page)."""
    from .models import TeacherGuide

    source = source_page(page)
    rows = TeacherGuide.objects.filter(page=source).select_related("locale")
    return in_language(rows, language or page.locale.language_code)
