"""What apps above classroom add to its pages and exports, without classroom naming them.

Classroom sits below quizzes (and packs): it never imports them. An app that has more to show a
pupil for an assignment (its quizzes, say), or more rows for a class's data export, registers a
provider here from its AppConfig.ready(); classroom calls whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    """A piece of an assignment besides its lessons, as the pupil sees it (a quiz, say)."""

    title: str
    url: str
    status: str = ""
    percent: int | None = None


# (pupil, links) → {AssignmentPupil id: [WorkItem, ...]}
AssignmentWork = Callable[..., dict[int, list[WorkItem]]]
# (classroom, pupil ids) → {table name: [row, ...]}: only this class's assignments
ExportPart = Callable[..., dict[str, list[dict]]]

_assignment_work: list[AssignmentWork] = []
_export_parts: list[ExportPart] = []


def register_assignment_work(provider: AssignmentWork) -> AssignmentWork:
    """Register `provider(*, pupil, links)`; idempotent (ready() may run twice in tests)."""
    if provider not in _assignment_work:
        _assignment_work.append(provider)
    return provider


def register_export_part(provider: ExportPart) -> ExportPart:
    """Register `provider(*, classroom, pupil_ids)`; idempotent."""
    if provider not in _export_parts:
        _export_parts.append(provider)
    return provider


def assignment_work(*, pupil, links: Iterable) -> dict[int, list[WorkItem]]:
    """Every registered provider's items for these AssignmentPupil rows, by link id."""
    links = list(links)
    found: dict[int, list[WorkItem]] = {}
    if not links:
        return found
    for provider in _assignment_work:
        for link_id, items in provider(pupil=pupil, links=links).items():
            found.setdefault(link_id, []).extend(items)
    return found


def export_parts(*, classroom, pupil_ids: list[int]) -> dict[str, list[dict]]:
    """Every registered provider's tables for a class export."""
    tables: dict[str, list[dict]] = {}
    for provider in _export_parts:
        tables.update(provider(classroom=classroom, pupil_ids=pupil_ids))
    return tables
