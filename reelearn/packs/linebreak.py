"""Where a Burmese line may break, for WeasyPrint (the PDF path only).

Burmese puts no spaces between words, and Pango breaks Myanmar text only at spaces (it has
dictionary breaking for Thai, not for Myanmar), so a Burmese paragraph printed as one line off
the page. ICU's line breaker knows Burmese words (a dictionary): a zero-width space (U+200B)
at each of its break opportunities lets Pango wrap there. `overflow-wrap: anywhere` would split
syllables, which is unreadable.

Only text whose element's language (the nearest `lang`) is Burmese is touched, never tags,
attributes or the document head (the PDF's title); the web pages are left alone (browsers
break Burmese themselves).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.etree.ElementTree import Element

from icu4py.breakers import LineBreaker
from icu4py.locale import Locale

ZWSP = "\u200b"
# Myanmar, Myanmar Extended-A and Extended-B.
MYANMAR = re.compile("[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
STACKER = "\u1039"  # MYANMAR SIGN VIRAMA: the next consonant is written below this one
ASAT = "\u103a"  # MYANMAR SIGN ASAT: this consonant closes the syllable before it
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SKIPPED = frozenset({"head", "script", "style", "pre", "code"})


def is_burmese(lang: str | None) -> bool:
    """Whether a language tag (`my`, `my-MM`, `my_MM`) is Burmese."""
    return bool(lang) and re.split("[-_]", lang.strip(), maxsplit=1)[0].lower() == "my"


@cache
def _burmese() -> Locale:
    # icu4py makes one ICU BreakIterator per text (it has no setText); ICU keeps the rules and
    # the Burmese dictionary loaded after the first, so each costs microseconds.
    return Locale("my")


def _breaks_between(before: str, after: str) -> bool:
    last, first = before[-1], after[0]
    if last.isspace() or ZWSP in (last, first):
        return False  # a break already
    if last == STACKER or after[1:2] in (STACKER, ASAT) or unicodedata.category(first)[0] == "M":
        # Where its dictionary lacks a word (a loanword) ICU may offer a break inside a stack
        # (the ဘ under the မ of ကမ္ဘာ), which would unstack the letters, or before a consonant
        # that closes the syllable (the မ် of ယမ်), which would split the syllable. Never
        # before a combining mark either.
        return False
    return bool(MYANMAR.match(last) or MYANMAR.match(first))


def break_burmese(text: str) -> str:
    """The text with U+200B at ICU's line-break opportunities next to Burmese letters."""
    if not MYANMAR.search(text):
        return text
    pieces: list[str] = []
    for start, end in LineBreaker(text, _burmese()).segments():
        piece = text[start:end]
        if pieces and _breaks_between(pieces[-1], piece):
            pieces.append(ZWSP)
        pieces.append(piece)
    return "".join(pieces)


def _lang(element: Element, inherited: str | None) -> str | None:
    if "lang" in element.attrib:
        return element.attrib["lang"]
    return element.attrib.get(XML_LANG, inherited)


def insert_burmese_breaks(element: Element, inherited: str | None = None) -> None:
    """Break the Burmese text of a parsed HTML tree (WeasyPrint's `HTML.etree_element`) in
    place. A child's tail is its parent's text, so it follows the parent's language."""
    if not isinstance(element.tag, str) or element.tag in SKIPPED:
        return  # a comment, or text that is not laid out as prose
    lang = _lang(element, inherited)
    burmese = is_burmese(lang)
    if burmese and element.text:
        element.text = break_burmese(element.text)
    for child in element:
        insert_burmese_breaks(child, lang)
        if burmese and child.tail:
            child.tail = break_burmese(child.tail)
