"""Template helpers for classroom pages: the class's tabs from other apps, QR codes."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.image.svg
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import contributions

register = template.Library()


@register.simple_tag
def class_tabs(classroom) -> list[contributions.ClassTab]:
    """Tabs that apps above classroom add to a class's pages (Results, from quizzes)."""
    return contributions.class_tabs(classroom=classroom)


@lru_cache(maxsize=256)
def _qr_svg(text: str) -> str:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # An inline SVG needs no XML declaration; the caller labels it (role="img").
    return svg[svg.index("<svg") :]


@register.simple_tag
def qr_svg(text: str, label: str) -> str:
    """An inline SVG QR code of `text` (drawn on the server: no script, no image request),
    announced as an image named `label`."""
    svg = _qr_svg(str(text))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="qr" ', 1)
    return mark_safe(svg)  # noqa: S308 - drawn by qrcode; the label is escaped


@register.filter
def index(items, position: int):
    """items[position], or None past the end."""
    try:
        return items[position]
    except (IndexError, TypeError, KeyError):
        return None


@register.filter
def duration_minutes(value) -> str:
    """A time taken in words: "4 min", "1 h 5 min", "under a minute"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return _("under a minute")
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


ANSWER_WORDS = {
    "is-correct": gettext_lazy("correct"),
    "is-partial": gettext_lazy("partly right"),
    "is-wrong": gettext_lazy("wrong"),
    "is-unmarked": gettext_lazy("waiting for your mark"),
    "is-blank": gettext_lazy("not answered"),
}


@register.filter
def answer_word(css: str) -> str:
    """The words a results cell's colour stands for (for screen readers)."""
    return str(ANSWER_WORDS.get(css, ""))
