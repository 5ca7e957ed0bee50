"""A signed-in pupil's lesson page, rendered once per page and shared by every pupil.

In a lesson hour thousands of pupils open the same few lessons. Their pages differ from one
another only in two places: the name on the header's "Sign out" button and the CSRF token of
the page's two forms (sign out; "I have finished this lesson"). Everything else (the shared
parts of lessons.fragments, the pupil's navigation, the language links, the draft notice, the
"finished" form) is the same for every pupil who reads the page in the same language at the
same address. So the whole page is rendered once per content version, page, language and
path in each process, for a stand-in pupil (`PUPIL`) whose name and token are markers, and
each pupil's response is that page with their own name and token put in.

What a pupil's page may know about its reader is written down in `_Pupil`: the role, nothing
personal; the templates' `request` hides the user, session, cookies and headers. A template
that asked for anything else would get nothing, and the equivalence test
(tests/lessons/test_pupil_pages.py) would see the page differ from the one rendered for the
real pupil. Teachers, editors, previews, pages with a query string and requests with messages
waiting are rendered the ordinary way.
"""

from __future__ import annotations

import secrets

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

from .cache import VersionedMemo
from .fragments import WithoutReader

# Markers no editor can type into a page: private-use characters around a per-process secret
# (HTML escaping leaves all of them alone).
_MARK = secrets.token_hex(8)
NAME_HOLE = f"\ue000name-{_MARK}\ue001"
TOKEN_HOLE = f"\ue000csrf-{_MARK}\ue001"


class _Pupil:
    """The reader as a pupil's shared page sees them: signed in, a pupil, nobody in particular."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_pupil = True
    is_teacher = False
    is_verified_teacher = False
    is_editor = False
    is_staff = False
    is_superuser = False
    can_see_teacher_material = False

    def __str__(self) -> str:
        return NAME_HOLE


PUPIL = _Pupil()

_pages = VersionedMemo(size=500)


def pupil_page(page, request) -> HttpResponse | None:
    """The lesson page for the signed-in pupil of `request`, from the shared rendering; None
    when it must be rendered for this reader alone (see the module's docstring)."""
    user = request.user
    if (
        not user.is_authenticated
        or not user.is_pupil
        or user.is_editor
        or getattr(request, "is_preview", False)
        or not page.pk
        or request.META.get("QUERY_STRING")
        or len(get_messages(request))  # counts them without marking them shown
    ):
        return None
    which = (page.pk, page.live_revision_id, get_language(), request.path)
    shell = _pages.get(which, lambda version: _render(page, request))
    return HttpResponse(
        shell.replace(TOKEN_HOLE, get_token(request)).replace(NAME_HOLE, escape(str(user)))
    )


def _render(page, request) -> str:
    # The templates see the stand-in, not this pupil: neither as `user` nor through the
    # request (WithoutReader hides its user, session, cookies and headers).
    overrides = {
        "user": PUPIL,
        "request": WithoutReader(request),
        "csrf_token": TOKEN_HOLE,
        "messages": (),
    }
    return page.render(request, context_overrides=overrides).render().content.decode()
