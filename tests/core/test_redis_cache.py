"""The Redis cache backend (one redis-py client per pool) against the real Redis."""

from __future__ import annotations

import os
import threading

import pytest

from reelearn.core.cache import RedisCache

URL = os.environ.get("REELEARN_TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_cache():
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-{os.getpid()}"})
    keys = ["a", "b", "c", "d", "gone", *(f"t{i}" for i in range(8))]
    cache.delete_many(keys)
    yield cache
    cache.delete_many(keys)  # never clear(): that would empty the whole Redis database


def test_reads_and_writes_like_djangos_backend(redis_cache):
    redis_cache.set("a", {"x": [1, 2]}, 30)
    assert redis_cache.get("a") == {"x": [1, 2]}
    assert redis_cache.add("a", "other") is False
    assert redis_cache.add("b", 1) is True
    assert redis_cache.incr("b") == 2
    redis_cache.set_many({"c": 3, "d": 4})
    assert redis_cache.get_many(["c", "d", "missing"]) == {"c": 3, "d": 4}
    redis_cache.delete_many(["a", "c"])
    assert redis_cache.get("a") is None and redis_cache.get("c") is None
    redis_cache.set("gone", 1, 0)  # timeout 0: not stored
    assert redis_cache.get("gone", "default") == "default"


def test_one_client_serves_every_call_and_thread(redis_cache):
    first = redis_cache._cache.get_client("k")
    assert redis_cache._cache.get_client("k", write=True) is first
    seen, errors = set(), []

    def work(i):
        try:
            for n in range(50):
                redis_cache.set(f"t{i}", n)
                assert redis_cache.get(f"t{i}") == n
            seen.add(id(redis_cache._cache.get_client()))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen == {id(first)}
