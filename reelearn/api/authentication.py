"""API authentication: DRF's tokens, with the token's user cached."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication


def token_cache_key(key: str) -> str:
    return "api-token:" + hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the token's user kept in the shared cache.

    Every API call of a pupil taking a quiz authenticates; a cached user saves a query and
    most of the request's ORM work. The entry is dropped when the token is deleted or the user
    is saved or deleted (reelearn.api.signals), and expires after API_TOKEN_CACHE_SECONDS
    anyway (the bound for a change that skips signals, such as a queryset update). That
    setting is 0 (no caching) unless the cache is shared by every process (REDIS_CACHE_URL):
    a per-process cache could not be told of a revocation.
    """

    def authenticate_credentials(self, key):
        seconds = settings.API_TOKEN_CACHE_SECONDS
        if not seconds:
            return super().authenticate_credentials(key)
        cache_key = token_cache_key(key)
        user = cache.get(cache_key)
        if user is None:
            user, token = super().authenticate_credentials(key)
            cache.set(cache_key, user, seconds)
            return user, token
        return user, self.get_model()(key=key, user=user)
