"""Text people type that the platform stores or searches: always valid Unicode, and names that
read the way they look.

* NUL cannot be stored in PostgreSQL text and a lone surrogate cannot be encoded as UTF-8: either
  would fail later (a 500 on a page that shows it), so both are refused where they come in.
* Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) are invisible and make
  a name display as something else ("Trojan Source"): refused in names.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

NUL_MESSAGE = _(
    "This text contains a NUL character (\\0), which cannot be stored. Type it again without it."
)
SURROGATE_MESSAGE = _(
    "This text contains a broken character (an unpaired UTF-16 surrogate). Type it again."
)
BIDI_MESSAGE = _(
    "This name contains invisible characters that change the direction of text "
    "(bidirectional controls). Type the name without them."
)


def text_problem(value: str, *, name: bool = False) -> str | None:
    """Why `value` cannot be stored (or, with `name`, used as a name); None when it can."""
    if not isinstance(value, str) or not value:
        return None
    if "\x00" in value:
        return str(NUL_MESSAGE)
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return str(SURROGATE_MESSAGE)
    if name and not BIDI_CONTROLS.isdisjoint(value):
        return str(BIDI_MESSAGE)
    return None


def validate_text(value: str) -> None:
    """A validator for forms and serializers (stored free text)."""
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_text")


def validate_name(value: str) -> None:
    """A validator for names people and classes are shown by."""
    problem = text_problem(value, name=True)
    if problem:
        raise ValidationError(problem, code="invalid_name")
