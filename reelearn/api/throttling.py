"""API throttles: DRF's per-user rate, counted with one Redis round trip when Redis is the cache.

DRF's throttles keep each user's request history as a list: every API call reads it, trims it
and writes it back (two cache round trips and a pickled list). With the Redis cache this counts
requests in fixed windows instead: one small script (COUNT_SCRIPT) increments the window's
counter and gives a new one its expiry, in one round trip. A fixed window can let through up to
twice the rate across a window boundary; the limit is there against runaway scripts, not to
meter honest use. Other caches keep DRF's sliding window.

A token request's count rides along with the read of its cached user (`fetch_and_count`, used
by reelearn.api.authentication): the same script reads the cache key too.
"""

from __future__ import annotations

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from rest_framework import throttling

from reelearn.core.cache import RedisCache, decode, redis_cache, run_script

COUNTED = "reelearn_throttle_counted"  # request attribute: {counter key: count}, counted early

# KEYS[1]: the counter; ARGV[1]: its lifetime (seconds); KEYS[2], if given: a key to read too.
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if KEYS[2] then return {count, redis.call('GET', KEYS[2])} end
return {count}
"""


class UserRateThrottle(throttling.UserRateThrottle):
    def allow_request(self, request, view):
        backend = redis_cache()
        if self.rate is None or backend is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        counter = self._counter(backend, self.key)
        count = getattr(request, COUNTED, {}).get(counter)
        if count is None:
            (count,) = run_script(backend, COUNT_SCRIPT, keys=[counter], args=[self.duration + 1])
        return count <= self.num_requests

    def _counter(self, backend: RedisCache, key: str) -> str:
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return backend.make_and_validate_key(f"{key}:{window}")

    def wait(self):
        if getattr(self, "window_ends", None) is not None:
            return max(0.0, self.window_ends - self.timer())
        return super().wait()

    @classmethod
    def fetch_and_count(cls, request, user_id: int, cache_key: str):
        """`cache.get(cache_key)`; with the Redis cache, in the same round trip as counting this
        request against user `user_id`, when the request's view is throttled by this class."""
        backend = redis_cache()
        view = (getattr(request, "parser_context", None) or {}).get("view")
        throttle = (
            cls()
            if backend is not None
            and view is not None
            and any(issubclass(c, cls) for c in view.throttle_classes)
            else None
        )
        if throttle is None or throttle.rate is None:
            return caches[DEFAULT_CACHE_ALIAS].get(cache_key)
        counter = throttle._counter(
            backend, throttle.cache_format % {"scope": throttle.scope, "ident": user_id}
        )
        count, raw = run_script(
            backend,
            COUNT_SCRIPT,
            keys=[counter, backend.make_and_validate_key(cache_key)],
            args=[throttle.duration + 1],
        )
        setattr(request._request, COUNTED, {counter: count})
        return decode(backend, raw) if raw is not None else None
