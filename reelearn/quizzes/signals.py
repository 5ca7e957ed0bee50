"""Cached lesson bodies show the quiz slot: refresh them when a quiz changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from lessons.models import bump_content_version

from .models import Quiz


@receiver(published, sender=Quiz)
@receiver(unpublished, sender=Quiz)
@receiver(post_save, sender=Quiz)
@receiver(post_delete, sender=Quiz)
def quiz_changed(sender, **kwargs):
    bump_content_version()
