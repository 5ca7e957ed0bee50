"""The lock-out locks out only the guesser (issue 18 §3), tried from the attacker's side.

Failures count per (account, client address); a class's typos from one school address never
lock out its teacher; locks grow 1, 2, 4 … minutes; an address spraying many accounts is
slowed for wrong passwords only; X-Forwarded-For counts only from configured proxies.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from reelearn.accounts import lockout
from reelearn.accounts.tasks import prune_sign_in_failures
from reelearn.classroom import services
from tests.classroom.factories import ClassroomFactory
from tests.factories import PASSWORD, PupilFactory

pytestmark = pytest.mark.django_db

SCHOOL = "198.51.100.20"
HOME = "192.0.2.44"
ATTACKER = "203.0.113.66"


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post("/accounts/sign-in/", {"login": login, "password": password}, **extra)


def test_a_class_of_typos_from_one_address_never_locks_out_the_teacher(teacher, home):
    """25 pupils × 2 typos from the school's one address: the teacher signs in from it."""
    pupils = PupilFactory.create_batch(25)
    school = Client(REMOTE_ADDR=SCHOOL)
    for pupil in pupils:
        for _ in range(2):
            assert sign_in(school, pupil.username, "oops").status_code == 400
    assert sign_in(school, "teacher").status_code == 302
    # …and every pupil, with two typos each, still signs in with the right password.
    assert sign_in(Client(REMOTE_ADDR=SCHOOL), pupils[0].username).status_code == 302


def test_a_guesser_locks_only_their_own_pair(pupil, home, settings):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        assert sign_in(attacker, "pupil", "guess").status_code == 400
    locked = sign_in(attacker, "pupil", "guess")
    assert locked.status_code == 429 and locked["Retry-After"] == "60"
    assert b"ask your teacher to unlock" in locked.content
    # Even the right password is refused to the guesser while locked…
    assert sign_in(attacker, "pupil").status_code == 429
    # …but the pupil, from school, is never refused for someone else's failures.
    assert sign_in(Client(REMOTE_ADDR=SCHOOL), "pupil").status_code == 302


def test_each_further_lock_doubles_up_to_fifteen_minutes(pupil, home, settings, t0):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    seen = []
    with time_machine.travel(t0, tick=False) as clock:
        for _ in range(6):
            for _ in range(settings.SIGN_IN_MAX_FAILURES):
                response = sign_in(attacker, "pupil", "guess")
            assert response.status_code == 429
            seconds = int(response["Retry-After"])
            seen.append(seconds)
            clock.shift(dt.timedelta(seconds=seconds - 5))
            assert sign_in(attacker, "pupil").status_code == 429  # still locked
            clock.shift(dt.timedelta(seconds=10))
        assert sign_in(attacker, "pupil").status_code == 302  # the lock ended
    assert seen == [60, 120, 240, 480, 900, 900]


def test_a_forged_forwarded_for_header_changes_nothing(pupil, home, settings):
    """With no trusted proxy, X-Forwarded-For is the client's own words: ignored."""
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(attacker, "pupil", "guess", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}")
    assert sign_in(attacker, "pupil", HTTP_X_FORWARDED_FOR="10.1.1.1").status_code == 429


def test_behind_trusted_proxies_only_their_hops_count(pupil, home, settings):
    settings.REELEARN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    # The attacker writes their own X-Forwarded-For; the proxy appends the real address.
    for n in range(settings.SIGN_IN_MAX_FAILURES):
        forged = f"192.0.2.{n}, {ATTACKER}"
        sign_in(proxy, "pupil", "guess", HTTP_X_FORWARDED_FOR=forged)
    assert sign_in(proxy, "pupil", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}").status_code == 429
    # Another client behind the same proxy is a different address: not locked.
    assert sign_in(proxy, "pupil", HTTP_X_FORWARDED_FOR=HOME).status_code == 302


def test_an_address_spraying_many_accounts_is_slowed_for_wrong_passwords_only(
    teacher, home, settings
):
    settings.REELEARN_SPRAY_ACCOUNTS = 30
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(30):
        response = sign_in(attacker, f"guess{n}", "Winter2026!")
        assert response.status_code == 400 and "Retry-After" not in response
    slowed = sign_in(attacker, "guess99", "Winter2026!")
    assert slowed.status_code == 400 and slowed["Retry-After"]
    # A right password from that address is never held up or refused.
    right = sign_in(attacker, "teacher")
    assert right.status_code == 302 and "Retry-After" not in right
    # Other addresses are not slowed.
    assert "Retry-After" not in sign_in(Client(REMOTE_ADDR=HOME), "guess1", "x")


def test_a_teacher_unlocks_a_pupil(client, teacher, home, settings):
    classroom = ClassroomFactory(teacher=teacher)
    made = services.pupils_create(classroom=classroom, names=["Amara K."])[0]
    school = Client(REMOTE_ADDR=SCHOOL)
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(school, made.username, "wrong")
    assert sign_in(school, made.username, made.password).status_code == 429
    client.force_login(teacher)
    pupil_page = reverse(
        "classroom:pupil-detail", kwargs={"class_id": classroom.pk, "pupil_id": made.user.pk}
    )
    assert b"Locked out" in client.get(pupil_page).content
    unlock = reverse(
        "classroom:pupil-unlock", kwargs={"class_id": classroom.pk, "pupil_id": made.user.pk}
    )
    assert client.post(unlock).status_code == 302
    assert sign_in(school, made.username, made.password).status_code == 302


def test_another_teacher_cannot_unlock_a_pupil(client, teacher, other_teacher, settings):
    classroom = ClassroomFactory(teacher=teacher)
    made = services.pupils_create(classroom=classroom, names=["Amara K."])[0]
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(Client(REMOTE_ADDR=SCHOOL), made.username, "wrong")
    client.force_login(other_teacher)
    unlock = reverse(
        "classroom:pupil-unlock", kwargs={"class_id": classroom.pk, "pupil_id": made.user.pk}
    )
    assert client.post(unlock).status_code == 404
    assert lockout.is_locked_out(username=made.username)


def test_failure_records_older_than_a_day_are_pruned(pupil, home, t0):
    with time_machine.travel(t0 - dt.timedelta(hours=30), tick=False):
        sign_in(Client(REMOTE_ADDR=ATTACKER), "pupil", "old guess")
    sign_in(Client(REMOTE_ADDR=ATTACKER), "pupil", "new guess")
    assert AccessFailureLog.objects.count() == 2
    assert prune_sign_in_failures() == 1  # the old failure's record
    assert AccessAttempt.objects.count() == 1 and AccessFailureLog.objects.count() == 1
