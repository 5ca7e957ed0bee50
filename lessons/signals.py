"""Keep cached lesson bodies and anonymous pages in step with what is published."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from .models import Source, TeacherGuide, Term, bump_content_version


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, **kwargs):
    bump_content_version()


@receiver(post_save, sender=Source)
@receiver(post_save, sender=Term)
@receiver(post_delete, sender=Source)
@receiver(post_delete, sender=Term)
@receiver(post_save, sender=TeacherGuide)
def snippet_changed(sender, **kwargs):
    bump_content_version()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def privacy_changed(sender, **kwargs):
    """A page made private (or public, or private to other groups) must not be served from
    the anonymous page cache as it was: every cached page goes, since a restriction covers the
    page's whole subtree."""
    bump_content_version()
