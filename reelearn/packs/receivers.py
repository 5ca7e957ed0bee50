"""Keep packs matching what is published: every publish queues a refresh after commit.

The refresh (a task) works out which packs use what changed and queues their rebuilds; the
request that published stays fast, and nothing is queued for a transaction that rolls back.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, published, unpublished

from lessons.models import Source, TeacherGuide, Term
from reelearn.core.tasks import delay_on_commit_safely

from .models import Pack
from .tasks import packs_refresh_task


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    delay_on_commit_safely(packs_refresh_task, page_ids=[instance.pk])


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
