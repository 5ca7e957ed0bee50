"""The Redis cache (django-redis) and reelearn.core.cache's helpers, against the real Redis."""

from __future__ import annotations

import os
import threading

import pytest
from django_redis.cache import RedisCache
from redis.exceptions import NoScriptError

from reelearn.core.cache import decode, redis_cache, run_script

URL = os.environ.get("REELEARN_TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/5")
KEYS = ["a", "b", "c", "d", "gone", "n", *(f"t{i}" for i in range(8))]
GET_SCRIPT = "return redis.call('GET', KEYS[1])"


@pytest.fixture
def cache():
    backend = RedisCache(URL, {"KEY_PREFIX": f"test-{os.getpid()}"})
    backend.delete_many(KEYS)
    yield backend
    backend.delete_many(KEYS)  # never clear(): that would empty the whole Redis database


def test_reads_and_writes_like_djangos_backend(cache):
    cache.set("a", {"x": [1, 2]}, 30)
    assert cache.get("a") == {"x": [1, 2]}
    assert cache.add("a", "other") is False
    assert cache.add("b", 1) is True
    assert cache.incr("b") == 2
    cache.set_many({"c": 3, "d": 4})
    assert cache.get_many(["c", "d", "missing"]) == {"c": 3, "d": 4}
    cache.delete_many(["a", "c"])
    assert cache.get("a") is None and cache.get("c") is None
    cache.set("gone", 1, 0)  # timeout 0: not stored
    assert cache.get("gone", "default") == "default"
    assert 0 < cache.ttl("d") <= 300  # keys are made and expire as Django's backend does
    assert cache.make_and_validate_key("d") == f"test-{os.getpid()}:1:d"


def test_one_client_per_cache_and_one_pool_for_every_thread(cache):
    first = cache.client.get_client(write=True)
    assert cache.client.get_client(write=False) is first  # one server: reads and writes alike
    pools, errors = set(), []

    def work(i):
        try:
            backend = RedisCache(URL, {"KEY_PREFIX": f"test-{os.getpid()}"})
            for n in range(50):
                backend.set(f"t{i}", n)
                assert backend.get(f"t{i}") == n
            assert backend.client.get_client() is backend.client.get_client()
            pools.add(id(backend.client.get_client().connection_pool))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert pools == {id(first.connection_pool)}  # the process' one pool for this server


def test_a_script_reads_what_get_wrote_and_decode_reads_it_back(cache):
    cache.set("a", {"x": [1, 2]}, 30)
    cache.set("n", 7, 30)  # integers are stored as such, for INCR
    key = cache.make_and_validate_key("a")
    assert decode(cache, run_script(cache, GET_SCRIPT, keys=[key])) == {"x": [1, 2]}
    number = run_script(cache, GET_SCRIPT, keys=[cache.make_and_validate_key("n")])
    assert decode(cache, number) == 7
    assert run_script(cache, GET_SCRIPT, keys=[cache.make_and_validate_key("gone")]) is None


def test_a_script_is_loaded_again_when_the_server_forgot_it(cache, monkeypatch):
    source = f"return '{os.getpid()}-forgotten'"  # a script of this test's own
    assert run_script(cache, source) == f"{os.getpid()}-forgotten".encode()
    client = cache.client.get_client()
    sent = []
    evalsha = type(client).evalsha

    def forgetful(self, sha, *args):
        if not sent:
            sent.append(sha)
            raise NoScriptError("NOSCRIPT No matching script.")
        return evalsha(self, sha, *args)

    monkeypatch.setattr(type(client), "evalsha", forgetful)
    assert run_script(cache, source) == f"{os.getpid()}-forgotten".encode()
    assert sent


def test_redis_cache_names_only_the_redis_backend(settings):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": URL}}
    assert isinstance(redis_cache(), RedisCache)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert redis_cache() is None
