"""The parts of a lesson page that every reader sees, rendered once and shared.

A lesson page is the same for a visitor, a pupil and a teacher except for a few things around
it: the teacher panel, the pupil's "finished" button, the teacher edition's pack links and the
header's own links. Everything else (breadcrumb, header, body, key words, references, the
student packs, the module's lessons) is rendered here, from `selectors.lesson_shared_context`
only (no user, no session: the templates get neither), and kept in the shared cache under the
content version, and in each process's memory. Whoever asks first, a visitor or a pupil,
renders it for all; a preview always renders afresh.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .cache import TTL, VersionedMemo
from .i18n import mark_latin_runs
from .models import LessonPage
from .selectors import lesson_shared_context

# Each is rendered from lessons/includes/lesson_<name>.html.
LESSON_PARTS = ("breadcrumb", "header", "main", "packs", "nav")

_parts = VersionedMemo(size=300)


def lesson_parts(page: LessonPage, request) -> dict[str, SafeString]:
    """The shared HTML of `page`, by part (see LESSON_PARTS and lessons/lesson_page.html)."""
    if getattr(request, "is_preview", False) or not page.pk:
        return _render(page, request)
    which = (page.pk, page.live_revision_id, get_language())
    return _parts.get(which, lambda version: _shared(version, which, page, request))


def _shared(version: int, which: tuple, page: LessonPage, request) -> dict[str, SafeString]:
    key = "lessons:parts:{}:{}:{}:{}".format(version, *which)
    parts = cache.get(key)
    if parts is None:
        parts = _render(page, request)
        cache.set(key, {name: str(html) for name, html in parts.items()}, TTL)
        return parts
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 (rendered here)


def _render(page: LessonPage, request) -> dict[str, SafeString]:
    # No context processors run (so no `user`), and the request comes without its user,
    # session or cookies: page URLs need the site it was routed to, nothing about who asks.
    context = {
        "page": page,
        "self": page,
        "request": WithoutReader(request),
        **lesson_shared_context(page),
    }
    language = get_language()  # the page's: content is served in its URL's language
    return {
        name: mark_safe(  # noqa: S308
            mark_latin_runs(
                render_to_string(f"lessons/includes/lesson_{name}.html", context), language
            )
        )
        for name in LESSON_PARTS
    }


class WithoutReader:
    """A request as the shared parts see it: everything but who is asking."""

    HIDDEN = frozenset({"user", "auser", "session", "COOKIES", "META", "headers"})

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        if name in self.HIDDEN:
            raise AttributeError(f"the shared parts of a page may not read request.{name}")
        return getattr(self._request, name)
