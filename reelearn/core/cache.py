"""What Django's cache API cannot say, on the shared Redis cache (django-redis).

The Redis cache is django-redis's ``django_redis.cache.RedisCache``: it keeps one redis-py
client per server for each cache and one connection pool per server for the process, so
nothing here manages connections. What this module adds, through django-redis' public API
(the backend's ``client``: ``get_client``, ``decode``), is what one round trip needs:
a Lua script on the cache's server, and decoding a value that such a script read.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django_redis.cache import RedisCache
from redis.commands.core import Script

__all__ = ["RedisCache", "decode", "redis_cache", "run_script"]

_scripts: dict[str, Script] = {}


def redis_cache(alias: str = DEFAULT_CACHE_ALIAS) -> RedisCache | None:
    """The cache `alias` if it is the Redis cache (django-redis), else None."""
    backend = caches[alias]
    return backend if isinstance(backend, RedisCache) else None


def run_script(cache: RedisCache, source: str, keys: Sequence = (), args: Sequence = ()):
    """Run the Lua script `source` on the cache's server, in one round trip (EVALSHA; the
    script is loaded on first use, and again if the server has forgotten it)."""
    client = cache.client.get_client(write=True)
    script = _scripts.get(source)
    if script is None:
        script = _scripts.setdefault(source, client.register_script(source))
    return script(keys=keys, args=args, client=client)


def decode(cache: RedisCache, raw: bytes):
    """A raw value that a script read from a made key, decoded as ``cache.get()`` decodes it."""
    return cache.client.decode(raw)
