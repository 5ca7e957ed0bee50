"""API throttles: DRF's per-user rate, counted with one Redis round trip when Redis is the cache.

DRF's throttles keep each user's request history as a list: every API call reads it, trims it
and writes it back (two cache round trips and a pickled list). With the Redis cache this counts
requests in fixed windows instead (INCR and EXPIRE, pipelined: one round trip). A fixed window
can let through up to twice the rate across a window boundary; the limit is there against
runaway scripts, not to meter honest use. Other caches keep DRF's sliding window.
"""

from __future__ import annotations

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from rest_framework import throttling

from reelearn.core.cache import RedisCache


class UserRateThrottle(throttling.UserRateThrottle):
    def allow_request(self, request, view):
        backend = caches[DEFAULT_CACHE_ALIAS]  # what DRF's `self.cache` stands for
        if self.rate is None or not isinstance(backend, RedisCache):
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = backend.make_and_validate_key(f"{self.key}:{window}")
        pipe = backend.client().pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, self.duration + 1)
        count, _ = pipe.execute()
        return count <= self.num_requests

    def wait(self):
        if getattr(self, "window_ends", None) is not None:
            return max(0.0, self.window_ends - self.timer())
        return super().wait()
