"""Cached lesson bodies show the quiz slot, and autosaves use cached questions: refresh them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from lessons.models import bump_content_version

from . import cache
from .models import Choice, Question, Quiz


@receiver(published, sender=Quiz)
@receiver(unpublished, sender=Quiz)
@receiver(post_save, sender=Quiz)
@receiver(post_delete, sender=Quiz)
def quiz_changed(sender, **kwargs):
    bump_content_version()


@receiver(post_save, sender=Question)
@receiver(post_delete, sender=Question)
@receiver(post_save, sender=Choice)
@receiver(post_delete, sender=Choice)
def question_changed(sender, **kwargs):
    cache.clear()
