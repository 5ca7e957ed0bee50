"""Forget a cached token user (reelearn.api.authentication) when the token or the user changes."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from .authentication import token_cache_key


@receiver(post_save, sender=Token)
@receiver(post_delete, sender=Token)
def token_changed(sender, instance, **kwargs):
    if settings.API_TOKEN_CACHE_SECONDS:
        cache.delete(token_cache_key(instance.key))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def user_changed(sender, instance, **kwargs):
    if not settings.API_TOKEN_CACHE_SECONDS or instance.pk is None:
        return
    keys = Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)
    cache.delete_many([token_cache_key(key) for key in keys])
