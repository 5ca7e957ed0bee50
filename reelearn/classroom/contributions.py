"""What apps above classroom add to its pages and exports, without classroom naming them.

Classroom sits below quizzes (and packs): it never imports them. An app that has more to show a
pupil for an assignment (its quizzes, say), or more rows for a class's data export, registers a
provider here from its AppConfig.ready(); classroom calls whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal


@dataclass(frozen=True)
class WorkItem:
    """A piece of an assignment besides its lessons (a quiz, say), as the pupil sees it or,
    from `class_work`, as their teacher sees it (the score whatever the pupil may see)."""

    title: str
    url: str
    status: str = ""
    percent: int | None = None
    done: bool = False  # finished: a quiz submitted
    score: Decimal | None = None
    max_score: Decimal | None = None
    needs_marking: bool = False


@dataclass(frozen=True)
class ResultRow:
    """One pupil's line in a results table: the attempt that counts, question by question."""

    status: str  # not_started | in_progress | submitted
    status_label: str
    score: Decimal | None = None
    percent: int | None = None
    time_taken: timedelta | None = None
    late: bool = False
    needs_marking: bool = False
    cells: list[tuple[str, str]] = field(default_factory=list)  # (text, css class) per question
    url: str = ""  # the teacher's view of that attempt


@dataclass(frozen=True)
class ResultsTable:
    """A part of one assignment with results per pupil (a quiz), for the assignment page."""

    title: str
    max_score: Decimal
    questions: list[str]  # a short label per column, with the prompt as its description
    rows: dict[int, ResultRow]  # AssignmentPupil id → row
    results_url: str = ""
    analysis_url: str = ""
    marking_url: str = ""
    to_mark: int = 0
    average_percent: int | None = None


@dataclass(frozen=True)
class Attention:
    """Something in a class that waits for its teacher (answers to mark, say)."""

    classroom_id: int
    text: str
    url: str
    count: int


@dataclass(frozen=True)
class ClassTab:
    key: str
    label: str
    url: str


@dataclass(frozen=True)
class ArchivedTable:
    """A table whose rows of a class leave the hot tables when the class is archived
    (`services.archive`): each row is kept with the pupil it belongs to, given back on restore,
    exported with the class and erased with the pupil.

    Tables are moved in the order registered (parents before children) and deleted in the
    reverse order. A restored row whose parent (quiz, question, page…) was deleted meanwhile
    is dropped, as deleting the parent would have dropped it.
    """

    model: type  # a Django model
    rows: Callable  # (classroom) → the class's rows in the hot table (a QuerySet of `model`)
    pupil: str  # lookup of the pupil a row belongs to: "pupil_id", "attempt__pupil_id"
    export_name: str = ""  # the class export's table that lists these rows ("" for none)
    export_fields: tuple[str, ...] = ()  # the columns it shows; () for every column
    moved: Callable | None = None  # (rows) → None: after the rows left, in the transaction
    # (instances) → instances to write back, for a table whose rows may come back meanwhile
    # (a pupil opening a lesson again): merge them with the archived ones.
    restoring: Callable | None = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


# (pupil, links) → {AssignmentPupil id: [WorkItem, ...]}
AssignmentWork = Callable[..., dict[int, list[WorkItem]]]
# (classroom, pupil ids) → {table name: [row, ...]}: only this class's assignments
ExportPart = Callable[..., dict[str, list[dict]]]

# (classroom, links) → {AssignmentPupil id: [WorkItem, ...]}: what the teacher sees
ClassWork = Callable[..., dict[int, list[WorkItem]]]
# (assignment, links) → [ResultsTable, ...]
AssignmentResults = Callable[..., list[ResultsTable]]
# (classrooms) → [Attention, ...]
ClassAttention = Callable[..., list[Attention]]
# (classroom) → [ClassTab, ...]
ClassTabs = Callable[..., list[ClassTab]]

_assignment_work: list[AssignmentWork] = []
_export_parts: list[ExportPart] = []
_class_work: list[ClassWork] = []
_assignment_results: list[AssignmentResults] = []
_attention: list[ClassAttention] = []
_class_tabs: list[ClassTabs] = []
_archived_tables: list[ArchivedTable] = []


def _register(registry: list, provider):
    if provider not in registry:  # idempotent: ready() may run twice in tests
        registry.append(provider)
    return provider


def register_class_work(provider: ClassWork) -> ClassWork:
    """Register `provider(*, classroom, links)`: each link's work with the teacher's scores."""
    return _register(_class_work, provider)


def register_assignment_results(provider: AssignmentResults) -> AssignmentResults:
    """Register `provider(*, assignment, links)`: result tables for the assignment page."""
    return _register(_assignment_results, provider)


def register_attention(provider: ClassAttention) -> ClassAttention:
    """Register `provider(*, classrooms)`: what waits for the teacher in these classes."""
    return _register(_attention, provider)


def register_class_tabs(provider: ClassTabs) -> ClassTabs:
    """Register `provider(*, classroom)`: more tabs for a class's pages (Results, say)."""
    return _register(_class_tabs, provider)


def register_archived_table(table: ArchivedTable) -> ArchivedTable:
    """Register a table whose rows of a class are archived with it (after classroom's own)."""
    return _register(_archived_tables, table)


def archived_tables() -> list[ArchivedTable]:
    return list(_archived_tables)


def class_work(*, classroom, links: Iterable) -> dict[int, list[WorkItem]]:
    links = list(links)
    found: dict[int, list[WorkItem]] = {}
    if not links:
        return found
    for provider in _class_work:
        for link_id, items in provider(classroom=classroom, links=links).items():
            found.setdefault(link_id, []).extend(items)
    return found


def assignment_results(*, assignment, links: Iterable) -> list[ResultsTable]:
    links = list(links)
    return [t for p in _assignment_results for t in p(assignment=assignment, links=links)]


def attention(*, classrooms: Iterable) -> list[Attention]:
    classrooms = list(classrooms)
    if not classrooms:
        return []
    return [item for p in _attention for item in p(classrooms=classrooms)]


def class_tabs(*, classroom) -> list[ClassTab]:
    return [tab for p in _class_tabs for tab in p(classroom=classroom)]


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
