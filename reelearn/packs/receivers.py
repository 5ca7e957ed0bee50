"""Keep packs matching what is published: every publish queues a refresh after commit.

The refresh (a task) works out which packs use what changed and queues their rebuilds; the
request that published stays fast, and nothing is queued for a transaction that rolls back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, published, unpublished

from lessons.models import Source, TeacherGuide, Term
from reelearn.classroom.models import Assignment
from reelearn.classroom.signals import pupils_erased
from reelearn.core.tasks import delay_on_commit_safely

from .models import Pack
from .services import class_pack_request
from .tasks import packs_refresh_task


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    """The module-tier's student pack is built too, made or not (PACKS_BUILD_ON_PUBLISH), so
    a visitor's first download of it never waits for a build."""
    delay_on_commit_safely(
        packs_refresh_task,
        page_ids=[instance.pk],
        student_packs=settings.PACKS_BUILD_ON_PUBLISH,
    )


@receiver(published)
@receiver(unpublished)
def snippet_published(sender, instance, **kwargs):
    from reelearn.quizzes.models import Quiz

    if isinstance(instance, Quiz):
        delay_on_commit_safely(packs_refresh_task, page_ids=[instance.page_id])


@receiver(post_save, sender=TeacherGuide)
@receiver(post_delete, sender=TeacherGuide)
def guide_changed(sender, instance, **kwargs):
    delay_on_commit_safely(packs_refresh_task, page_ids=[instance.page_id])


@receiver(post_save, sender=Term)
@receiver(post_save, sender=Source)
@receiver(post_delete, sender=Term)
@receiver(post_delete, sender=Source)
def glossary_or_source_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures
        return
    delay_on_commit_safely(packs_refresh_task, page_ids=None)


@receiver(post_delete, sender=Pack)
def pack_deleted(sender, instance, **kwargs):
    """Rows go with their pages (cascade) or by pruning: their files go too."""
    if instance.file:
        instance.file.storage.delete(instance.file.name)


@receiver(pupils_erased)
def class_packs_of_erased_pupils(sender, classroom_id, pupil_ids, **kwargs):
    """Erasure reaches the PDFs: a class pack prints its pupils' names and login cards, so every
    class pack of the class goes in the erasing transaction (files with the rows, see
    `pack_deleted`), and those the teacher had are built again, without them, after commit."""
    packs = list(Pack.objects.filter(kind=Pack.Kind.CLASS, assignment__classroom_id=classroom_id))
    again = {(p.assignment_id, p.paper) for p in packs}
    for pack in packs:
        pack.delete()
    if again:
        transaction.on_commit(lambda: _rebuild_class_packs(again))


def _rebuild_class_packs(wanted: set[tuple[int, str]]) -> None:
    assignments = Assignment.objects.select_related("classroom", "page").in_bulk(
        {assignment_id for assignment_id, _paper in wanted}
    )
    for assignment_id, paper in sorted(wanted):
        if assignment_id in assignments:  # gone with its class: nothing to rebuild
            class_pack_request(assignment=assignments[assignment_id], paper=paper)
