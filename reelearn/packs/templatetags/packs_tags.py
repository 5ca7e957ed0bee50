from __future__ import annotations

from django import template

from reelearn.packs.permissions import visible_error

register = template.Library()


@register.filter
def letter(number: int) -> str:
    """1 → A, 2 → B … (matching columns on paper)."""
    try:
        return chr(ord("A") + int(number) - 1)
    except (TypeError, ValueError):
        return ""


@register.filter
def index(sequence, position: int):
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return ""


@register.filter
def paper_options(question, quiz) -> dict:
    """A question's options on this printing of `quiz`'s paper sheet (no key; orders from the
    secret key and the printing)."""
    from reelearn.packs.content import quiz_printing

    return question.paper_options(quiz_printing(quiz))


@register.filter
def write_lines(points) -> int:
    """Room to write for an open answer: more marks, more lines (3 to 12)."""
    try:
        return max(3, min(12, int(points) * 2 + 1))
    except (TypeError, ValueError):
        return 3


@register.inclusion_tag("packs/includes/pack_links_list.html", takes_context=True)
def pack_links(context, page):
    """The "Printable packs" links of a lesson or module-tier page. No queries."""
    from lessons.models import LessonPage, ModuleTierPage

    from ..permissions import can_view_teacher_edition

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "page": page,
        "packable": isinstance(page, LessonPage | ModuleTierPage),
        "is_module": isinstance(page, ModuleTierPage),
        "teacher": can_view_teacher_edition(user),
    }


@register.simple_tag(takes_context=True)
def pack_error(context, pack) -> str:
    """Why a build failed, as this visitor may read it (permissions.visible_error)."""
    request = context.get("request")
    return visible_error(getattr(request, "user", None), pack) if pack else ""
