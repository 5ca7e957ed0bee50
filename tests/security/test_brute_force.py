"""Guessing passwords and class codes gets an attacker nowhere, and locks out only them.

The sign-in form's lock-out is covered by tests/core/test_sign_in.py and the form's 1,000 join
codes by tests/classroom/test_join.py. Here: the API token path, which must share the form's
failure count and must not be dodged through X-Forwarded-For (DRF's own per-minute throttles
key on that header, which any client can set); password spraying over many names from one
address; and 1,000 wrong class codes through the API, after which the right code still works
for a different client, since the lock-out is per client address by design
(reelearn.classroom.services.pupils.classroom_join).
"""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reelearn.classroom.models import Membership

from ..classroom.factories import ClassroomFactory
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
SCHOOL = "198.51.100.20"
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def _spoofed(n: int) -> str:
    """A different X-Forwarded-For on every request, as an attacker would send."""
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def _token(client, username, password, n=0):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        HTTP_X_FORWARDED_FOR=_spoofed(n),
    )


def test_api_token_lock_out_is_not_dodged_by_forwarded_for_headers(pupil, settings):
    client = APIClient(REMOTE_ADDR=ATTACKER)
    for n in range(settings.SIGN_IN_MAX_FAILURES - 1):
        assert _token(client, "pupil", "wrong", n).status_code == 400
    assert _token(client, "pupil", "wrong", 998).status_code == 429  # this failure locks
    locked = _token(client, "pupil", PASSWORD, 999)
    # "locked" is the account lock-out; DRF's "throttled" would mean the lock never held.
    assert locked.status_code == 429 and locked.json()["code"] == "locked"
    assert "token" not in locked.json()


def test_the_form_and_the_api_share_one_failure_count(pupil, home, settings):
    client = Client(REMOTE_ADDR=ATTACKER)
    api = APIClient(REMOTE_ADDR=ATTACKER)
    half = settings.SIGN_IN_MAX_FAILURES // 2
    for _ in range(half):
        assert (
            client.post("/accounts/sign-in/", {"login": "pupil", "password": "wrong"}).status_code
            == 400
        )
    for n in range(settings.SIGN_IN_MAX_FAILURES - half - 1):
        assert _token(api, "pupil", "wrong", n).status_code == 400
    assert _token(api, "pupil", "wrong", 98).status_code == 429
    assert _token(api, "pupil", PASSWORD, 99).status_code == 429
    form = client.post("/accounts/sign-in/", {"login": "pupil", "password": PASSWORD})
    assert form.status_code == 429 and not form.wsgi_request.user.is_authenticated


def test_password_spraying_from_one_address_is_cut_off(teacher, pupil, settings):
    """One wrong password for each of 300 names (no name ever reaches its own limit)."""
    client = APIClient(REMOTE_ADDR=ATTACKER)
    statuses = [_token(client, f"guess{n}", "Winter2026!", n).status_code for n in range(300)]
    checked = statuses.count(400)
    assert statuses.count(429) == 300 - checked
    assert checked <= settings.SIGN_IN_MAX_FAILURES * 10  # the per-address limit
    print(f"\npassword spraying: {300 - checked} of 300 refused without checking")
    # Even a right password is refused from that address while it is locked…
    assert _token(client, "teacher", PASSWORD, 301).status_code == 429
    # …but the school next door is not locked out with it.
    school = APIClient(REMOTE_ADDR=SCHOOL)
    assert _token(school, "pupil", PASSWORD).status_code == 200


def _wrong_codes(right: str):
    for letters in itertools.product(ALPHABET, repeat=8):
        code = "".join(letters)
        if code != right:
            yield code


@pytest.mark.parametrize("spoof", [False, True], ids=["plain", "rotating-x-forwarded-for"])
def test_a_thousand_wrong_join_codes_through_the_api_are_nearly_all_refused(teacher, spoof):
    classroom = ClassroomFactory(teacher=teacher, join_needs_approval=False)
    attacker = APIClient(REMOTE_ADDR=ATTACKER)
    statuses = []
    for n, code in zip(range(1000), _wrong_codes(classroom.join_code), strict=False):
        extra = {"HTTP_X_FORWARDED_FOR": _spoofed(n)} if spoof else {}
        response = attacker.post(
            "/api/v1/join/", {"code": code, "name": f"Bot {n}"}, format="json", **extra
        )
        assert response.status_code in (400, 403, 429), response.content
        statuses.append(response.status_code)
    refused = sum(s in (403, 429) for s in statuses)
    print(f"\njoin codes ({'spoofed' if spoof else 'plain'}): {refused} of 1000 refused")
    assert refused >= 980
    assert not Membership.objects.filter(classroom=classroom).exists()
    # The attacker is still locked out, even with the right code…
    assert (
        attacker.post(
            "/api/v1/join/", {"code": classroom.join_code, "name": "Bot"}, format="json"
        ).status_code
        == 429
    )
    # …while a pupil on another connection joins with it.
    pupil_client = APIClient(REMOTE_ADDR=SCHOOL)
    joined = pupil_client.post(
        "/api/v1/join/", {"code": classroom.join_code, "name": "Noor A."}, format="json"
    )
    assert joined.status_code == 201, joined.content
    assert Membership.objects.filter(classroom=classroom, pupil__display_name="Noor A.").exists()


def test_after_the_join_form_locks_one_device_another_still_joins(teacher):
    classroom = ClassroomFactory(teacher=teacher, join_needs_approval=False)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    codes = _wrong_codes(classroom.join_code)
    statuses = [
        attacker.post("/join/", {"code": next(codes), "name": "Bot"}).status_code for _ in range(50)
    ]
    assert statuses[-1] == 429 and statuses.count(400) <= 10
    other = Client(REMOTE_ADDR=SCHOOL)
    response = other.post("/join/", {"code": classroom.join_code, "name": "Noor A."})
    assert response.status_code == 201


def test_the_token_rate_limit_holds_for_a_plain_client(pupil):
    client = APIClient(REMOTE_ADDR=ATTACKER)
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": "pupil", "password": PASSWORD}, format="json"
        ).status_code
        for _ in range(30)
    ]
    assert statuses.count(200) == 10 and statuses.count(429) == 20


def test_the_token_rate_limit_counts_requests_not_forwarded_for_values(pupil):
    client = APIClient(REMOTE_ADDR=ATTACKER)
    statuses = [_token(client, "pupil", PASSWORD, n).status_code for n in range(30)]
    assert 429 in statuses, "30 token requests in a minute, none throttled (limit 10/min)"
