"""API authentication: DRF's tokens, with the token's user cached."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication

from .throttling import UserRateThrottle

# Token key → its user's id, as this process has seen them. A key is random and never moves to
# another user, so this cannot go stale in a way that matters: it only lets the user's request
# count (throttle) travel with the read of the cached user (UserRateThrottle.fetch_and_count).
_USER_IDS: dict[str, int] = {}
_USER_IDS_MAX = 100_000


def token_cache_key(key: str) -> str:
    return "api-token:" + hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the token's user kept in the shared cache.

    Every API call of a pupil taking a quiz authenticates; a cached user saves a query and
    most of the request's ORM work, and its read also counts the request for the per-user
    throttle (one Redis round trip for both). The entry is dropped when the token is deleted
    or the user is saved or deleted (reelearn.api.signals), and expires after
    API_TOKEN_CACHE_SECONDS anyway (the bound for a change that skips signals, such as a
    queryset update). That setting is 0 (no caching) unless the cache is shared by every
    process (REDIS_CACHE_URL): a per-process cache could not be told of a revocation.
    """

    request = None

    def authenticate(self, request):
        self.request = request  # DRF makes an authenticator per request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        seconds = settings.API_TOKEN_CACHE_SECONDS
        if not seconds:
            return super().authenticate_credentials(key)
        cache_key = token_cache_key(key)
        user_id = _USER_IDS.get(key)
        if user_id is not None and self.request is not None:
            user = UserRateThrottle.fetch_and_count(self.request, user_id, cache_key)
        else:
            user = cache.get(cache_key)
        if user is None:
            user, token = super().authenticate_credentials(key)
            cache.set(cache_key, user, seconds)
        else:
            token = self.get_model()(key=key, user=user)
        if len(_USER_IDS) >= _USER_IDS_MAX:
            _USER_IDS.clear()
        _USER_IDS[key] = user.pk
        return user, token
