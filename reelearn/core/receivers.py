"""Queue CDN purges when what a visitor sees changes: publish, unpublish, move, privacy.

Each handler only queues `cdn_purge_task` after commit (nothing when no CDN is configured, and
nothing for a transaction that rolls back); the worker works out the URLs (reelearn.core.cdn).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cdn import cdn_enabled, page_urls
from .tasks import cdn_purge_task, delay_on_commit_safely


@receiver(page_published)
def page_published_purge(sender, instance, **kwargs):
    if cdn_enabled():
        delay_on_commit_safely(cdn_purge_task, page_ids=[instance.pk])


@receiver(page_unpublished)
def page_unpublished_purge(sender, instance, **kwargs):
    """The page's own URLs are named now: an unpublish may be the first step of a delete, and
    after the commit the page (and so its URL) is gone. Its parent stays, and with it the pages
    that listed or linked to it (the parent's subtree)."""
    if not cdn_enabled():
        return
    parent = Page.objects.filter(path=instance.path[: -instance.steplen]).first()
    delay_on_commit_safely(
        cdn_purge_task,
        page_ids=[instance.pk, *([parent.pk] if parent and parent.depth > 1 else [])],
        urls=sorted(page_urls(instance)),
    )


@receiver(post_page_move)
def page_moved_purge(sender, instance, parent_page_before, url_path_before, **kwargs):
    if cdn_enabled():
        delay_on_commit_safely(
            cdn_purge_task,
            page_ids=[instance.pk, parent_page_before.pk],
            moves=[[instance.pk, url_path_before]],
        )


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed_purge(sender, instance, **kwargs):
    """A restriction covers the page's subtree: every page in it goes from the CDN."""
    if cdn_enabled():
        delay_on_commit_safely(cdn_purge_task, page_ids=[instance.page_id])


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed_purge(sender, instance, action, **kwargs):
    if cdn_enabled() and action.startswith("post_") and isinstance(instance, PageViewRestriction):
        delay_on_commit_safely(cdn_purge_task, page_ids=[instance.page_id])
