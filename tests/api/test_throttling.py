"""The per-user API throttle, on the Redis cache (fixed windows) and on the local one (DRF's)."""

from __future__ import annotations

import os

import pytest
from django.test import override_settings
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from rest_framework.test import APIClient

from reelearn.api.models import DeviceToken
from reelearn.api.throttling import UserRateThrottle

pytestmark = pytest.mark.django_db
REDIS = os.environ.get("REELEARN_TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/5")
CACHES = {
    "redis": {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"throttle-test-{os.getpid()}",
        }
    },
    "local": {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"throttle-test-{os.getpid()}",
        }
    },
}


@pytest.fixture(params=sorted(CACHES))
def three_a_minute(request, monkeypatch):
    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/min"}
    )
    with override_settings(CACHES=CACHES[request.param]):
        from django.core.cache import cache

        _forget_counts(cache)
        yield request.param
        _forget_counts(cache)


def _forget_counts(cache) -> None:
    if isinstance(cache._connections[cache._alias], RedisCache):
        # only this test's keys: never flush a shared Redis database
        client = get_redis_connection()
        keys = client.keys(f"throttle-test-{os.getpid()}:*")
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


def test_a_pupil_over_the_rate_is_told_to_wait(three_a_minute, pupil, other_pupil):
    api = APIClient()
    api.force_authenticate(pupil)
    codes = [api.get("/api/v1/my/assignments/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = api.get("/api/v1/my/assignments/")
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 61
    other = APIClient()
    other.force_authenticate(other_pupil)  # per user: someone else is not held back
    assert other.get("/api/v1/my/assignments/").status_code == 200
    if three_a_minute == "redis":  # counted in a fixed window: one counter per user
        client = get_redis_connection()
        counters = client.keys(f"throttle-test-{os.getpid()}:*throttle_user_*")
        assert len(counters) == 2
        assert all(0 < client.ttl(counter) <= 61 for counter in counters)  # they expire


@override_settings(API_TOKEN_CACHE_SECONDS=300)
def test_a_token_request_is_counted_once_with_its_user_read_in_the_same_round_trip(
    three_a_minute, pupil, monkeypatch
):
    _, key = DeviceToken.issue(user=pupil)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    round_trips = []
    if three_a_minute == "redis":  # a spy on the real connection: each send is a round trip
        from redis.connection import AbstractConnection

        send = AbstractConnection.send_packed_command
        monkeypatch.setattr(
            AbstractConnection,
            "send_packed_command",
            lambda self, *a, **k: (round_trips.append(1), send(self, *a, **k)),
        )
    codes = []
    for _ in range(4):
        round_trips.clear()
        codes.append(api.get("/api/v1/my/assignments/").status_code)
        if three_a_minute == "redis" and len(codes) > 1:  # the first one reads the token row
            assert len(round_trips) == 1, "the cached user and the count: one round trip"
    assert codes == [200, 200, 200, 429]  # each request counted once, not twice
    assert api.get("/api/v1/my/assignments/").json()["code"] == "throttled"
