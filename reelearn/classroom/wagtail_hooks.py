"""Record a pupil's opening of a lesson page: one upsert the first time, only for pupils."""

from __future__ import annotations

from wagtail import hooks

from lessons.i18n import source_ref
from lessons.models import LessonPage

from .services import lesson_progress_view


@hooks.register("before_serve_page")
def record_lesson_opened(page, request, serve_args, serve_kwargs):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_pupil:
        return None
    if not isinstance(page, LessonPage) or request.method != "GET":
        return None
    # Routable lesson pages also serve /guide/ (a 404 for pupils): count only the lesson itself.
    view = serve_args[0] if serve_args else None
    if getattr(view, "__name__", "lesson") != "lesson":
        return None
    # Reading a translation counts for the English lesson, which assignments point at.
    page_id, path = source_ref(page)
    lesson_progress_view(pupil=user, page_id=page_id, parent_path=path[: -page.steplen])
    return None
