"""Django's Redis cache, reusing one redis-py client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` for every cache call (about 0.2 ms of
CPU: each client copies redis-py's ~170 response callbacks). A client is a thread-safe handle
on its pool, so one per pool serves every call; the pools themselves are Django's.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._scripts = {}

    def client(self):
        """The redis-py client, for what Django's cache API cannot say (pipelines)."""
        return self._cache.get_client(write=True)

    def script(self, source: str):
        """A Lua script on this cache's server (redis-py's Script: EVALSHA, loaded on first use)."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self.client().register_script(source)
        return script

    def loads(self, raw: bytes):
        """A raw value that a script or pipeline read (a made key), decoded as get() decodes it."""
        return self._cache._serializer.loads(raw)
