"""The one place that calls into the quizzes app, guarded so classroom works without it.

`reelearn.quizzes.selectors.quizzes_for_pupil_assignments(*, pupil, links)` is being built
alongside this app. Until it exists (or if it fails to import), pupils' pages simply show no
quizzes. Its result may be a mapping of AssignmentPupil id → quizzes, or a flat iterable of
items that name their link (``link_id``/``link``/``assignment_link`` attribute or key).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping


class QuizzesByLink(dict):
    """AssignmentPupil id → list of quiz items; `available` says whether quizzes are wired."""

    available: bool = False


def _finder():
    try:
        module = importlib.import_module("reelearn.quizzes.selectors")
    except ImportError:
        return None
    return getattr(module, "quizzes_for_pupil_assignments", None)


def _link_id(item):
    for name in ("link_id", "assignment_link_id", "link", "assignment_link"):
        value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
        if value is not None:
            return getattr(value, "pk", value)
    return None


def quizzes_for_links(*, pupil, links) -> QuizzesByLink:
    result = QuizzesByLink()
    finder = _finder()
    if finder is None or not links:
        result.available = finder is not None
        return result
    result.available = True
    found = finder(pupil=pupil, links=list(links))
    if isinstance(found, Mapping):
        for key, items in found.items():
            result[getattr(key, "pk", key)] = list(items or [])
    else:
        for item in found or []:
            result.setdefault(_link_id(item), []).append(item)
    return result


def quiz_item_view(item) -> dict:
    """Title and URL of a quiz item, whatever its shape (object or dict)."""
    def get(name):
        return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)

    quiz = get("quiz")
    title = get("title") or (getattr(quiz, "title", None) if quiz is not None else None)
    url = get("url")
    if url is None and quiz is not None and hasattr(quiz, "get_absolute_url"):
        url = quiz.get_absolute_url()
    status = get("status_label") or get("status") or ""
    return {"title": title or str(quiz or item), "url": url, "status": str(status),
            "percent": get("percent")}
