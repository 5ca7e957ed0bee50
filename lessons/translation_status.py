"""The translation status report: for each English curriculum page (and each snippet attached to
one: its teacher guide, its quiz) and each language, whether its translation is up to date, out
of date or missing, what changed in the English, and whether a reviewer approved it.

Out of date means one of:
- "english": the English changed since wagtail-localize last took its strings (the source's
  `last_updated_at` against the English's last publish or update; then the segments compared,
  lessons.translation_changes): a sync brings the changes;
- "unsaved": synced, but the translation was not saved since (its strings wait for a translator,
  or the sync did not publish);
- "edited": a translation kept outside wagtail-localize's sync is older than the English.

One page of the report costs a fixed number of queries, whatever its number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, Locale, Page
from wagtail_localize.models import Translation, TranslationLog, TranslationSource

from .models import TranslationReview
from .permissions import can_approve_translation
from .translation_changes import Changes, english_changes
from .translation_reviews import translation_version


class Status(models.TextChoices):
    UP_TO_DATE = "up_to_date", _("Up to date")
    OUT_OF_DATE = "out_of_date", _("Out of date")
    MISSING = "missing", _("Missing")


REASONS = {
    "english": _("The English changed since the last sync."),
    "unsaved": _("Synced; the translation has not been saved with the new English yet."),
    "edited": _("The English changed after this translation, which is not synced."),
}


@dataclass(frozen=True)
class AttachedKind:
    """A translatable snippet attached to a curriculum page by a `page` key to the English
    page, one row per locale (a teacher guide, a quiz)."""

    model: type[models.Model]
    label: Any


ATTACHED: list[AttachedKind] = []


def register_attached(model: type[models.Model], label) -> None:
    """Report the translations of `model` (apps above lessons register theirs from ready())."""
    if all(kind.model is not model for kind in ATTACHED):
        ATTACHED.append(AttachedKind(model, label))


@dataclass
class Cell:
    language: str
    status: str
    target: Any = None
    reason: str = ""
    approved: TranslationReview | None = None
    edit_url: str = ""
    approve_url: str = ""

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, "")


@dataclass
class Row:
    obj: Any
    kind: Any
    attached: bool
    source: TranslationSource | None = None
    changes: Changes | None = None
    cells: list[Cell] = field(default_factory=list)
    edit_url: str = ""
    sync_url: str = ""
    translate_url: str = ""

    @property
    def title(self) -> str:
        return self.obj.title if isinstance(self.obj, Page) else str(self.obj)

    @property
    def out_of_date(self) -> bool:
        return any(cell.status == Status.OUT_OF_DATE for cell in self.cells)


def changed_at(obj) -> datetime | None:
    """When the content readers get last changed: last publish, else last update."""
    if isinstance(obj, DraftStateMixin):
        return obj.last_published_at
    return getattr(obj, "updated_at", None)


def is_live(obj) -> bool:
    return not isinstance(obj, DraftStateMixin) or obj.live


def translated_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


PAGE_FIELDS = (
    "id",
    "title",
    "path",
    "depth",
    "translation_key",
    "locale_id",
    "alias_of_id",
    "content_type_id",
    "live",
    "live_revision_id",
    "last_published_at",
)


@dataclass
class Report:
    """Everything a page of the report reads, loaded in a fixed number of queries."""

    pages: list[Page]
    languages: list[str]
    user: Any
    next_url: str = ""
    english_id: int = 0
    locales: dict[int, str] = field(default_factory=dict)
    targets: dict[tuple[Any, str], Any] = field(default_factory=dict)
    attached: dict[int, list[tuple[AttachedKind, Any]]] = field(default_factory=dict)

    def rows(self) -> list[Row]:
        if not self.pages:
            return []
        self.english_id = self.pages[0].locale_id
        self.locales = dict(
            Locale.objects.filter(language_code__in=self.languages).values_list(
                "pk", "language_code"
            )
        )
        self._load_page_targets()
        self._load_attached()
        rows = []
        for page in self.pages:
            rows.append(Row(page, page.specific_class._meta.verbose_name, attached=False))
            rows += [Row(obj, kind.label, attached=True) for kind, obj in self.attached[page.pk]]
        self._fill(rows)
        return rows

    def _load_page_targets(self) -> None:
        keys = [page.translation_key for page in self.pages]
        translations = Page.objects.filter(
            translation_key__in=keys, locale_id__in=self.locales, alias_of__isnull=True
        ).only(*PAGE_FIELDS)
        for target in translations:
            self.targets[(Page, target.translation_key, self.locales[target.locale_id])] = target

    def _load_attached(self) -> None:
        self.attached = {page.pk: [] for page in self.pages}
        for kind in ATTACHED:
            rows = (
                kind.model._default_manager.filter(
                    page_id__in=self.attached, locale_id__in=[self.english_id, *self.locales]
                )
                .select_related("page")  # named in the snippet's title
                .order_by("pk")
            )
            for obj in rows:
                if obj.locale_id == self.english_id:
                    self.attached[obj.page_id].append((kind, obj))
                else:
                    language = self.locales[obj.locale_id]
                    self.targets[(kind.model, obj.translation_key, language)] = obj

    def _fill(self, rows: list[Row]) -> None:
        keys = [row.obj.translation_key for row in rows]
        sources = {
            source.object_id: source
            for source in TranslationSource.objects.filter(
                object_id__in=keys, locale_id=self.english_id
            )
        }
        enabled = set(
            Translation.objects.filter(
                source__in=sources.values(), enabled=True, target_locale_id__in=self.locales
            ).values_list("source_id", "target_locale_id")
        )
        saved = {
            (source_id, locale_id): at
            for source_id, locale_id, at in TranslationLog.objects.filter(
                source__in=sources.values(), locale_id__in=self.locales
            )
            .values("source_id", "locale_id")
            .annotate(at=Max("created_at"))
            .values_list("source_id", "locale_id", "at")
        }
        reviews = {
            (review.content_type_id, review.translation_key, review.locale_id): review
            for review in TranslationReview.objects.filter(
                translation_key__in=keys, locale_id__in=self.locales
            ).select_related("approved_by")
        }
        stale = [
            sources[row.obj.translation_key]
            for row in rows
            if row.obj.translation_key in sources
            and _newer(changed_at(row.obj), sources[row.obj.translation_key].last_updated_at)
        ]
        changes = english_changes(stale)
        can_submit = self.user.has_perm("wagtail_localize.submit_translation")
        for row in rows:
            row.source = sources.get(row.obj.translation_key)
            row.changes = changes.get(row.source.pk) if row.source else None
            row.edit_url = edit_url(row.obj)
            for language in self.languages:
                row.cells.append(self._cell(row, language, enabled, saved, reviews))
            if can_submit:
                self._actions(row)

    def _cell(self, row: Row, language: str, enabled, saved, reviews) -> Cell:
        model = Page if isinstance(row.obj, Page) else type(row.obj)
        target = self.targets.get((model, row.obj.translation_key, language))
        if target is None:
            return Cell(language, Status.MISSING)
        cell = Cell(language, Status.UP_TO_DATE, target=target, edit_url=edit_url(target))
        source = row.source
        if source is not None and (source.pk, target.locale_id) in enabled:
            if row.changes:
                cell.status, cell.reason = Status.OUT_OF_DATE, "english"
            elif _newer(source.last_updated_at, saved.get((source.pk, target.locale_id))):
                cell.status, cell.reason = Status.OUT_OF_DATE, "unsaved"
        elif changed_at(target) and _newer(changed_at(row.obj), changed_at(target)):
            cell.status, cell.reason = Status.OUT_OF_DATE, "edited"
        content_type = ContentType.objects.get_for_model(model)
        review = reviews.get((content_type.pk, target.translation_key, target.locale_id))
        if review is not None and review.version == translation_version(target):
            cell.approved = review
        elif is_live(target) and can_approve_translation(self.user, language):
            cell.approve_url = approve_url(target)
        return cell

    def _actions(self, row: Row) -> None:
        if row.out_of_date and row.source is not None:
            row.sync_url = reverse("wagtail_localize:update_translations", args=[row.source.pk])
            if self.next_url:
                row.sync_url += "?" + urlencode({"next": self.next_url})
        if any(cell.status == Status.MISSING for cell in row.cells):
            row.translate_url = submit_url(row.obj)


def _newer(when: datetime | None, than: datetime | None) -> bool:
    """Whether `when` is after `than`; an unknown time counts as changed."""
    if when is None or than is None:
        return True
    return when > than


def _snippet_url(obj, view: str) -> str:
    meta = obj._meta
    return reverse(
        f"wagtailsnippets_{meta.app_label}_{meta.model_name}:{view}", args=[quote(obj.pk)]
    )


def edit_url(obj) -> str:
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    return _snippet_url(obj, "edit")


def submit_url(obj) -> str:
    if isinstance(obj, Page):
        return reverse("wagtail_localize:submit_page_translation", args=[obj.pk])
    meta = obj._meta
    return reverse(
        "wagtail_localize:submit_snippet_translation",
        args=[meta.app_label, meta.model_name, quote(obj.pk)],
    )


def approve_url(obj) -> str:
    meta = (Page if isinstance(obj, Page) else type(obj))._meta
    return reverse("lessons_translation_approve", args=[meta.app_label, meta.model_name, obj.pk])


def translation_rows(pages, *, languages: list[str], user, next_url: str = "") -> list[Row]:
    """The report's rows for `pages` (English curriculum pages, with PAGE_FIELDS loaded)."""
    return Report(list(pages), languages, user, next_url=next_url).rows()
