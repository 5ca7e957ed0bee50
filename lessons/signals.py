"""Keep cached lesson bodies and anonymous pages in step with what is published."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
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
