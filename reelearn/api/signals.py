"""Tokens follow their account: revoked when it is secured, their cached users forgotten."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reelearn.accounts.services import account_secured

from .authentication import token_cache_key
from .models import DeviceToken


def _forget(digests) -> None:
    if settings.API_TOKEN_CACHE_SECONDS:
        cache.delete_many([token_cache_key(d) for d in digests])


def revoke(*, user_id: int, digests=None) -> int:
    """Delete a user's tokens (all, or those with `digests`); `token_deleted` drops each one's
    cached user at once."""
    tokens = DeviceToken.objects.filter(user_id=user_id)
    if digests is not None:
        tokens = tokens.filter(digest__in=list(digests))
    deleted, _ = tokens.delete()
    return deleted


@receiver(account_secured, dispatch_uid="reelearn.api.revoke_tokens")
def account_was_secured(sender, user, **kwargs):
    revoke(user_id=user.pk)


@receiver(post_delete, sender=DeviceToken)
def token_deleted(sender, instance, **kwargs):
    _forget([instance.digest])


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def user_changed(sender, instance, **kwargs):
    if not settings.API_TOKEN_CACHE_SECONDS or instance.pk is None:
        return
    _forget(DeviceToken.objects.filter(user_id=instance.pk).values_list("digest", flat=True))
