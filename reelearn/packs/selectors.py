"""Reads for the pack pages: each slot's current pack and previous version, fixed queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .content import content_hash, load_class_content, load_page_content
from .models import Pack
from .permissions import can_view_teacher_edition


@dataclass
class SlotStatus:
    """One downloadable thing (an edition on a paper size) and where it stands."""

    content: object  # what it would render now (PageContent, ZipContent or ClassContent)
    content_hash: str
    current: Pack | None  # the pack of the content published now, in any state
    previous: Pack | None  # the newest ready pack of older content

    @property
    def edition(self) -> str:
        return self.content.edition

    @property
    def paper(self) -> str:
        return self.content.paper

    @property
    def kind(self) -> str:
        return self.content.kind

    @property
    def zipped(self) -> bool:
        return self.kind == Pack.Kind.MODULE_ZIP

    @property
    def code(self) -> str:
        """ready | queued | building | failed | rebuilding | missing: for text and CSS."""
        if self.current is not None:
            return self.current.status
        return "rebuilding" if self.previous is not None else "missing"

    @property
    def is_up_to_date(self) -> bool:
        return self.code == Pack.Status.READY

    @property
    def in_progress(self) -> bool:
        return self.code in (Pack.Status.QUEUED, Pack.Status.BUILDING, "rebuilding")

    @property
    def label(self) -> str:
        if self.zipped:
            return _("All lesson packs in one zip (student edition)")
        return Pack.Edition(self.edition).label

    @property
    def paper_label(self) -> str:
        return Pack.Paper(self.paper).label

    @property
    def anchor(self) -> str:
        return f"{'zip' if self.zipped else self.edition}-{self.paper}"


def _slots(contents: list, packs: list[Pack]) -> list[SlotStatus]:
    slots = []
    for content in contents:
        digest = content_hash(content)
        mine = [
            p
            for p in packs
            if p.kind == content.kind
            and p.edition == content.edition
            and p.paper == content.paper
            and p.target == content.target
        ]
        current = next((p for p in mine if p.content_hash == digest), None)
        previous = max(
            (p for p in mine if p.is_ready and p.content_hash != digest),
            key=lambda p: (p.built_at, p.pk),
            default=None,
        )
        slots.append(
            SlotStatus(content=content, content_hash=digest, current=current, previous=previous)
        )
    return slots


def page_pack_slots(*, page: Page, user) -> list[SlotStatus]:
    """Every pack a user may have of a lesson or module-tier: student (and teacher) edition on
    each paper size, plus the module zip. One content load whatever the number of slots."""
    teacher = can_view_teacher_edition(user)
    editions = [Pack.Edition.STUDENT, Pack.Edition.TEACHER] if teacher else [Pack.Edition.STUDENT]
    loaded = load_page_content(page=page, edition=editions[-1], paper=Pack.Paper.A4)
    contents = [
        loaded.variant(edition=edition, paper=paper)
        for edition in editions
        for paper in Pack.Paper.values
    ]
    if loaded.kind == Pack.Kind.MODULE_TIER:
        contents += [loaded.zipped(paper=paper) for paper in Pack.Paper.values]
    packs = list(
        Pack.objects.filter(
            target=loaded.target, kind__in=Pack.PAGE_KINDS, edition__in=editions
        ).only(
            "kind",
            "target",
            "edition",
            "paper",
            "content_hash",
            "status",
            "built_at",
            "page_count",
            "file_size",
            "error",
            "created_at",
            "file",
            "page_id",
        )
    )
    return _slots(contents, packs)


def class_pack_slots(*, assignment) -> list[SlotStatus]:
    loaded = load_class_content(assignment=assignment, paper=Pack.Paper.A4)
    contents = [loaded, *[_with_paper(loaded, p) for p in Pack.Paper.values if p != Pack.Paper.A4]]
    packs = list(Pack.objects.filter(kind=Pack.Kind.CLASS, target=loaded.target))
    return _slots(contents, packs)


def _with_paper(content, paper: str):
    from dataclasses import replace

    return replace(content, paper=paper)


def find_slot(
    slots: list[SlotStatus], *, edition: str, paper: str, zipped: bool = False
) -> SlotStatus | None:
    return next(
        (s for s in slots if s.edition == edition and s.paper == paper and s.zipped == zipped), None
    )


def public_pack_urls(pages: list[Page]) -> list[str]:
    """The download URLs of these pages' ready student packs: the downloads a CDN may keep
    (pack_file_response lets shared caches hold student editions), purged with their page."""
    packs = Pack.objects.filter(
        page_id__in=[page.pk for page in pages],
        kind__in=Pack.PAGE_KINDS,
        edition=Pack.Edition.STUDENT,
        status=Pack.Status.READY,
    ).values_list("pk", "page_id")
    by_page = {page.pk: page for page in pages}
    urls = []
    for pk, page_id in packs:
        parts = by_page[page_id].get_url_parts()
        if parts and parts[1]:
            urls.append(parts[1] + reverse("packs:download", args=[pk]))
    return urls
