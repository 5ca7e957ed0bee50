"""Content in several languages: English pages are the source, translations hang off them.

Wagtail keeps a page's translations as pages in other locales sharing its translation key
(wagtail-localize makes and syncs them). What belongs to a page but is not a page — its teacher
guide, its quiz — is attached to the English page, one row per locale, so assignments,
gradebooks and keys stay one whatever the language; these helpers find the right row.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
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


def published_languages(page) -> list[str]:
    """The languages `page` (or the page it translates, or a translation of it) is live in,
    in the order of settings.LANGUAGES. One query."""
    from wagtail.models import Page

    live = set(
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .values_list("locale__language_code", flat=True)
    )
    return [code for code, _name in settings.LANGUAGES if code in live]


def live_translations(pages, languages) -> dict:
    """The live translations of `pages` into `languages`, by (translation key, language): one
    query for all of them, none when there is nothing to look up."""
    from wagtail.models import Page

    keys = {page.translation_key for page in pages}
    languages = set(languages) - {settings.LANGUAGE_CODE}
    if not keys or not languages:
        return {}
    found = (
        Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code__in=languages)
        .annotate(language=F("locale__language_code"))
        .only("title", "url_path", "path", "depth", "translation_key")
    )
    return {(page.translation_key, page.language): page for page in found}


def live_translation(page, language: str):
    """The live translation of `page` into `language`, or None. One query (none for English)."""
    return live_translations([page], [language]).get((page.translation_key, language))


def other_languages(page) -> list[dict]:
    """Links to the live translations of `page` in other languages than its own ("Also in:"),
    the same for every reader, in the order of settings.LANGUAGES: one query, kept in the
    shared cache until the next publish anywhere (lessons.cache)."""
    from wagtail.models import Page

    from .cache import TTL, content_version

    if not getattr(page, "pk", None):
        return []
    key = f"lessons:other-languages:{content_version()}:{page.pk}"
    links = cache.get(key)
    if links is None:
        found = {
            row.language: row
            for row in Page.objects.live()
            .filter(translation_key=page.translation_key)
            .exclude(pk=page.pk)
            .annotate(language=F("locale__language_code"))
            .only("url_path", "translation_key")
        }
        links = []
        for code, name in settings.LANGUAGES:
            url = found[code].get_url() if code in found else None
            if url:  # a translation outside every site has no address
                lang = translation.to_locale(code).replace("_", "-")  # zh-hans → zh-Hans
                links.append({"code": code, "lang": lang, "name": name, "url": url})
        cache.set(key, links, TTL)
    return links


def source_ref(page) -> tuple[int, str]:
    """(id, tree path) of the English page `page` translates, itself when English: what a
    reading of a translation counts for. No query when the page is known to be English (its
    locale loaded, or served at an unprefixed URL, whose language is active); else one the
    first time per page and content version, then the shared cache's."""
    from wagtail.models import Page

    from .cache import TTL, content_version

    if Page.locale.is_cached(page):
        if is_source(page):
            return page.pk, page.path
    elif translation.get_language() == settings.LANGUAGE_CODE:
        return page.pk, page.path
    key = f"lessons:source:{content_version()}:{page.pk}"
    ref = cache.get(key)
    if ref is None:
        english = Page.objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        ref = tuple(english.values_list("pk", "path").first() or (page.pk, page.path))
        cache.set(key, ref, TTL)
    return ref


# --- Words in another script ------------------------------------------------------------------

# Languages written in a script of their own, where a run of Latin letters inside the text is
# English (a name in brackets, an organisation, a unit): it gets lang="en", so screen readers
# switch voice and fonts pick Latin glyphs.
OWN_SCRIPT = {"my", "zh-hans"}
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?[A-Za-z0-9]+;)")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9’'\-]*(?:[ .,:/][A-Za-z0-9][A-Za-z0-9’'\-]*)*")
_SKIP_INSIDE = ("script", "style", "svg", "code", "pre")


def mark_latin_runs(html: str, language: str) -> str:
    """`html` with each run of Latin text wrapped in <span lang="en">, in a page whose language
    has its own script; other pages' HTML is returned as it is. Tags and entities are left
    alone, and so is text inside an element that already names its language."""
    if language not in OWN_SCRIPT:
        return html
    out, skip = [], []
    for part in _TAG_OR_ENTITY.split(html):
        if not part:
            continue
        if part.startswith("<"):
            _track(part, skip)
            out.append(part)
        elif part.startswith("&") or skip:
            out.append(part)
        else:
            out.append(_LATIN_RUN.sub(r'<span lang="en">\g<0></span>', part))
    return "".join(out)


def _track(tag: str, skip: list) -> None:
    """Keep `skip` as the stack of open elements whose text is not to be marked."""
    name = re.match(r"</?\s*([A-Za-z0-9]+)", tag)
    if not name or tag.endswith("/>"):
        return
    name = name[1].lower()
    if tag.startswith("</"):
        if skip and skip[-1] == name:
            skip.pop()
    elif name in _SKIP_INSIDE or " lang=" in tag:
        skip.append(name)
