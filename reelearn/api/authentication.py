"""API authentication: per-device tokens (reelearn.api.models.DeviceToken), the user cached.

`Authorization: Token <key>`. The key's SHA-256 finds the token; an idle or revoked token is
refused. A token's last use is written at most once an hour (REELEARN_API_TOKEN_TOUCH_SECONDS),
so a pupil's quiz does not write a row per answer.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import DeviceToken, digest
from .throttling import UserRateThrottle

# Token key → its user's id, as this process has seen them. A key is random and never moves to
# another user, so this cannot go stale in a way that matters: it only lets the user's request
# count (throttle) travel with the read of the cached user (UserRateThrottle.fetch_and_count),
# and a revoked token's cache entry is gone, so the memo alone lets nothing in.
_USER_IDS: dict[str, int] = {}
_USER_IDS_MAX = 100_000


def token_cache_key(token_digest: str) -> str:
    return "api-token:" + token_digest


class CachedTokenAuthentication(TokenAuthentication):
    """Per-device tokens, with the token's user kept in the shared cache.

    Every API call of a pupil taking a quiz authenticates; a cached user saves a query and
    most of the request's ORM work, and its read also counts the request for the per-user
    throttle (one Redis round trip for both). The entry is dropped when the token is revoked
    or the user is saved or deleted (reelearn.api.signals), and expires after
    API_TOKEN_CACHE_SECONDS anyway. That setting is 0 (no caching) unless the cache is shared
    by every process (REDIS_CACHE_URL): a per-process cache could not be told of a revocation.
    """

    model = DeviceToken
    request = None

    def authenticate(self, request):
        self.request = request  # DRF makes an authenticator per request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token_digest = digest(key)
        seconds = settings.API_TOKEN_CACHE_SECONDS
        if not seconds:
            user = self._from_database(token_digest)
            return user, key
        cache_key = token_cache_key(token_digest)
        user_id = _USER_IDS.get(key)
        if user_id is not None and self.request is not None:
            user = UserRateThrottle.fetch_and_count(self.request, user_id, cache_key)
        else:
            user = cache.get(cache_key)
        if user is None:
            user = self._from_database(token_digest)
            cache.set(cache_key, user, seconds)
        if len(_USER_IDS) >= _USER_IDS_MAX:
            _USER_IDS.clear()
        _USER_IDS[key] = user.pk
        return user, key

    def _from_database(self, token_digest: str):
        token = (
            DeviceToken.objects.live().select_related("user").filter(digest=token_digest).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        touch = timedelta(seconds=settings.REELEARN_API_TOKEN_TOUCH_SECONDS)
        now = timezone.now()
        if token.last_used_at < now - touch:
            DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
