"""Keep what lessons.cache holds (anonymous pages, lesson parts, routes, restrictions) in step
with what is published."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import HomePage, SituationNote, Source, TeacherGuide, Term, bump_content_version
from .translation_reviews import grant_reviewers_their_tree


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def page_changed(sender, **kwargs):
    bump_content_version()


@receiver(post_save, sender=Source)
@receiver(post_save, sender=Term)
@receiver(post_delete, sender=Source)
@receiver(post_delete, sender=Term)
@receiver(post_save, sender=TeacherGuide)
@receiver(post_delete, sender=TeacherGuide)
@receiver(post_save, sender=SituationNote)
@receiver(post_delete, sender=SituationNote)
def snippet_changed(sender, **kwargs):
    bump_content_version()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, **kwargs):
    """Routes remember the site a host name led to (lessons.routes)."""
    bump_content_version()


@receiver(post_delete, sender=Page)
def page_deleted(sender, **kwargs):
    """Routes remember pages (lessons.routes); a deleted one may not have been unpublished."""
    bump_content_version()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def privacy_changed(sender, **kwargs):
    """A page made private (or public, or private to other groups) must not be served from
    the anonymous page cache as it was: every cached page goes, since a restriction covers the
    page's whole subtree. Again after the commit: a request between the change and its commit
    would otherwise cache, under the new version, what it read before (lessons.cache keeps
    which pages are restricted)."""
    bump_content_version()
    transaction.on_commit(bump_content_version)


@receiver(post_save, sender=HomePage)
def home_page_made(sender, instance, created, raw=False, **kwargs):
    """A language's home page (made with its first translated page) is where its translation
    reviewers may edit and publish."""
    if created and not raw:
        grant_reviewers_their_tree(instance)
