"""Pack workflows: request, claim, build, fail, refresh after publishing, sweep, prune."""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from lessons.models import ModuleTierPage
from reelearn.core.tasks import delay_on_commit_safely

from .content import (
    content_hash,
    kind_for_page,
    load_content,
    load_content_for_pack,
    packable_page,
)
from .models import Pack
from .rendering import PackBuildError, render_pack

logger = logging.getLogger(__name__)
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class Slot:
    kind: str
    edition: str
    paper: str
    page_id: int | None = None
    assignment_id: int | None = None


def _enqueue(pack_id: int) -> None:
    from .tasks import pack_build_task

    delay_on_commit_safely(pack_build_task, pack_id)


# --- Asking for a pack --------------------------------------------------------------------------


def pack_request(*, content, retry_failed: bool = False) -> Pack:
    """The pack of this content's slot for what is published now: the stored one if it exists
    (ready at once), else a new QUEUED row whose build is enqueued on commit.

    Asking twice, or from two processes at once, gives one row (unique constraint). A FAILED
    pack is queued again only when `retry_failed` (an explicit request, not a page view).
    """
    digest = content_hash(content)
    slot = {
        "kind": content.kind,
        "target": content.target,
        "edition": content.edition,
        "paper": content.paper,
    }
    pack = Pack.objects.filter(**slot, content_hash=digest).first()
    if pack is None:
        pack = _create(slot, digest, page=content.pack_page, assignment=content.pack_assignment)
    elif retry_failed and pack.status == Pack.Status.FAILED:
        requeued = Pack.objects.filter(pk=pack.pk, status=Pack.Status.FAILED).update(
            status=Pack.Status.QUEUED, attempts=0, error="", queued_at=timezone.now()
        )
        if requeued:
            _enqueue(pack.pk)
        pack.refresh_from_db()
    return pack


def _create(slot: dict, digest: str, *, page, assignment) -> Pack:
    try:
        with transaction.atomic():
            pack = Pack.objects.create(
                **slot,
                content_hash=digest,
                page=page,
                assignment=assignment,
                status=Pack.Status.QUEUED,
                queued_at=timezone.now(),
            )
    except IntegrityError:  # another request created it a moment ago
        return Pack.objects.get(**slot, content_hash=digest)
    _enqueue(pack.pk)
    return pack


def page_pack_request(
    *, page: Page, edition: str, paper: str, zipped: bool = False, retry_failed: bool = False
) -> Pack:
    """A lesson or module-tier pack (or a module-tier's zip of lesson packs). The page is read
    again, so a caller's stale copy cannot key the pack; 404 unless live and public."""
    page = packable_page(page.pk)
    kind = Pack.Kind.MODULE_ZIP if zipped else kind_for_page(page)
    content = load_content(kind=kind, edition=edition, paper=paper, page=page)
    return pack_request(content=content, retry_failed=retry_failed)


def class_pack_request(*, assignment, paper: str, retry_failed: bool = False) -> Pack:
    content = load_content(
        kind=Pack.Kind.CLASS, edition=Pack.Edition.TEACHER, paper=paper, assignment=assignment
    )
    return pack_request(content=content, retry_failed=retry_failed)


# --- Building -----------------------------------------------------------------------------------


def pack_claim(*, pack_id: int) -> Pack | None:
    """Take a QUEUED pack for building; None if it is gone, done or held by another worker."""
    claimed = Pack.objects.filter(pk=pack_id, status=Pack.Status.QUEUED).update(
        status=Pack.Status.BUILDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return Pack.objects.filter(pk=pack_id).first() if claimed else None


def pack_release(*, pack: Pack, error: str) -> None:
    """Back to QUEUED after a transient error, for the retry the task schedules."""
    Pack.objects.filter(pk=pack.pk, status=Pack.Status.BUILDING).update(
        status=Pack.Status.QUEUED, queued_at=timezone.now(), error=error[:ERROR_LIMIT]
    )


def pack_fail(*, pack: Pack, error: str) -> None:
    """FAILED with a readable error; the slot's previous ready pack is still served."""
    logger.warning("pack %s failed: %s", pack.pk, error)
    Pack.objects.filter(pk=pack.pk).exclude(status=Pack.Status.READY).update(
        status=Pack.Status.FAILED, error=error[:ERROR_LIMIT], claimed_at=None
    )


def _storage_name(pack: Pack) -> str:
    target = pack.target.replace(":", "-")
    return (
        f"packs/{pack.kind}/{target}/"
        f"{pack.edition}-{pack.paper}-{pack.content_hash[:16]}.{pack.extension}"
    )


def pack_build(*, pack: Pack) -> Pack:
    """Render a claimed (BUILDING) pack, store the file and mark it READY, then prune the slot.

    Content that is unpublished or changed since the request fails the pack (a newer pack is
    requested instead); any other error that is not transient fails it with its message.
    Transient errors (database, storage connection) propagate for the task to retry.
    """
    started = time.monotonic()
    try:
        content = load_content_for_pack(pack)
    except Http404:
        pack_fail(pack=pack, error=_("The page is no longer published."))
        return pack
    if content_hash(content) != pack.content_hash:
        pack_fail(
            pack=pack,
            error=_("The content changed before this pack was built; a newer pack replaces it."),
        )
        _request_current(pack)
        return pack
    try:
        data, pages = render_pack(content)
    except PackBuildError as exc:
        pack_fail(pack=pack, error=str(exc))
        return pack
    except Exception as exc:
        if is_transient(exc):
            raise
        logger.exception("pack %s build error", pack.pk)
        pack_fail(
            pack=pack,
            error=_("The pack could not be built: %(error)s")
            % {"error": f"{type(exc).__name__}: {exc}"},
        )
        return pack
    _store(pack, data, pages, time.monotonic() - started)
    pack.refresh_from_db()
    if pack.is_ready:
        pack_prune(pack=pack)
    return pack


def _store(pack: Pack, data: bytes, pages: int, seconds: float) -> None:
    storage = pack.file.storage
    name = _storage_name(pack)
    if storage.exists(name):  # left by an attempt whose worker died before marking READY
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    stored = Pack.objects.filter(pk=pack.pk, status=Pack.Status.BUILDING).update(
        status=Pack.Status.READY,
        file=saved,
        file_size=len(data),
        page_count=pages,
        built_at=timezone.now(),
        build_seconds=round(seconds, 3),
        error="",
    )
    if not stored:  # the sweep handed it to another worker meanwhile; theirs will be stored
        logger.warning("pack %s was re-queued while building; discarding this build", pack.pk)


def _request_current(pack: Pack) -> None:
    with contextlib.suppress(Http404):  # unpublished meanwhile: nothing to request
        pack_request(content=load_content_for_pack(pack))


def is_transient(exc: BaseException) -> bool:
    """Errors worth retrying: lost database or storage connections, timeouts."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import InterfaceError, OperationalError

    transient: tuple = (
        OperationalError,
        InterfaceError,
        ConnectionError,
        TimeoutError,
        SoftTimeLimitExceeded,
    )
    try:
        from botocore.exceptions import ConnectionError as BotoConnectionError
        from botocore.exceptions import ReadTimeoutError

        transient += (BotoConnectionError, ReadTimeoutError)
    except ImportError:  # pragma: no cover - boto is installed with django-storages[s3]
        pass
    return isinstance(exc, transient)


# --- Pruning ------------------------------------------------------------------------------------


def pack_prune(*, pack: Pack) -> int:
    """Keep this ready pack and the slot's newest other ready one; delete older versions and
    finished failures (files first, then rows). Returns the number of rows deleted."""
    slot = Pack.objects.in_slot(**pack.slot()).exclude(pk=pack.pk)
    previous = slot.filter(status=Pack.Status.READY).order_by("-built_at", "-pk").first()
    old = slot.filter(status__in=Pack.FINAL)
    if previous is not None:
        old = old.exclude(pk=previous.pk)
    doomed = list(old)
    for row in doomed:
        if row.file:
            row.file.storage.delete(row.file.name)
    Pack.objects.filter(pk__in=[row.pk for row in doomed]).delete()
    return len(doomed)


# --- Keeping packs current ----------------------------------------------------------------------


def _affected_packs(page_ids: list[int] | None):
    packs = Pack.objects.all()
    if page_ids is None:
        return packs
    condition = Q(pk__in=[])
    for page in Page.objects.filter(pk__in=page_ids).only("path", "depth"):
        ancestors = [page.path[:i] for i in range(page.steplen, len(page.path) + 1, page.steplen)]
        pages = Q(page__path__startswith=page.path) | Q(page__path__in=ancestors)
        assignments = Q(assignment__page__path__startswith=page.path) | Q(
            assignment__page__path__in=ancestors
        )
        condition |= Q(kind__in=Pack.PAGE_KINDS) & pages
        condition |= Q(kind=Pack.Kind.CLASS) & assignments
    return packs.filter(condition)


def packs_refresh(*, page_ids: list[int] | None = None) -> list[Pack]:
    """After a publish: for every slot that has a pack and uses these pages (all slots when
    None, e.g. a glossary term or source changed), request the pack for the content published
    now. Unchanged slots find their current pack; changed ones get a new QUEUED pack and keep
    the previous version until it is ready. Returns the packs queued."""
    slots = (
        _affected_packs(page_ids)
        .values("kind", "edition", "paper", "page_id", "assignment_id")
        .distinct()
    )
    queued = []
    for row in slots:
        pack = _refresh_slot(Slot(**row))
        if pack is not None and pack.status == Pack.Status.QUEUED:
            queued.append(pack)
    return queued


def _refresh_slot(slot: Slot) -> Pack | None:
    from reelearn.classroom.models import Assignment

    try:
        if slot.kind == Pack.Kind.CLASS:
            assignment = Assignment.objects.select_related("classroom", "page").get(
                pk=slot.assignment_id
            )
            return class_pack_request(assignment=assignment, paper=slot.paper)
        return page_pack_request(
            page=Page(pk=slot.page_id),
            edition=slot.edition,
            paper=slot.paper,
            zipped=slot.kind == Pack.Kind.MODULE_ZIP,
        )
    except (Http404, Assignment.DoesNotExist):
        return None  # unpublished or deleted: its packs are no longer offered


def student_packs_prepare(*, page_ids: list[int]) -> list[Pack]:
    """After a publish: request the student pack (A4) of every live, public module-tier that
    is or holds one of these pages, in each language it is published in, so a visitor's first
    download is ready. A pack already current is found, not queued again. Returns the packs
    queued."""
    paths: set[str] = set()
    for page in Page.objects.filter(pk__in=page_ids).only("path"):
        step = page.steplen
        paths.update(page.path[:end] for end in range(step, len(page.path) + 1, step))
    keys = ModuleTierPage.objects.filter(path__in=paths).values("translation_key")
    tiers = ModuleTierPage.objects.filter(translation_key__in=keys).live().public().order_by("pk")
    queued = []
    for tier in tiers:
        try:
            pack = page_pack_request(page=tier, edition=Pack.Edition.STUDENT, paper=Pack.Paper.A4)
        except Http404:  # unpublished or made private meanwhile
            continue
        if pack.status == Pack.Status.QUEUED:
            queued.append(pack)
    return queued


def packs_requeue_stuck(*, now: datetime | None = None, batch: int = 100) -> dict[str, int]:
    """Re-queue packs whose worker died mid-build (BUILDING since before the timeout) or whose
    message was lost (QUEUED as long); give up after PACKS_MAX_ATTEMPTS claims.

    Each change is a conditional update on the timestamp read, so two sweeps at once act once.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PACKS_STUCK_SECONDS)
    counts = {"requeued": 0, "failed": 0}
    stuck = Pack.objects.filter(
        Q(status=Pack.Status.BUILDING, claimed_at__lt=cutoff)
        | Q(status=Pack.Status.QUEUED, queued_at__lt=cutoff)
    ).order_by("pk")[:batch]
    for pack in stuck:
        same = Pack.objects.filter(
            pk=pack.pk, status=pack.status, claimed_at=pack.claimed_at, queued_at=pack.queued_at
        )
        if pack.attempts >= settings.PACKS_MAX_ATTEMPTS:
            counts["failed"] += same.update(
                status=Pack.Status.FAILED,
                claimed_at=None,
                error=_("The build was interrupted %(n)s times (worker stopped or timed out).")
                % {"n": pack.attempts},
            )
        elif same.update(status=Pack.Status.QUEUED, queued_at=now, claimed_at=None):
            counts["requeued"] += 1
            _enqueue(pack.pk)
    return counts
