"""Login-card secrets: sealed with a key from SECRET_KEY, void once the password changes."""

from __future__ import annotations

import random
import re

import pytest

from reelearn.accounts import cards
from reelearn.accounts.models import CardPassword
from reelearn.accounts.words import WORDS
from tests.factories import PupilFactory


def test_sealed_text_round_trips_and_is_not_readable():
    token = cards.seal("otter-maple-47")
    assert "otter" not in token and "maple" not in token
    assert cards.unseal(token) == "otter-maple-47"
    assert cards.seal("otter-maple-47") != token  # a fresh nonce every time


def test_tampered_or_foreign_tokens_open_to_nothing(settings):
    token = cards.seal("otter-maple-47")
    flipped = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    assert cards.unseal(flipped) is None
    assert cards.unseal("not a token") is None
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-0000"
    assert cards.unseal(token) is None


def test_a_rotated_key_still_opens_old_cards(settings):
    token = cards.seal("otter-maple-47")
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "the-new-secret-key-that-is-long-enough-1111"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert cards.unseal(token) == "otter-maple-47"


@pytest.mark.django_db
def test_a_card_is_void_once_the_password_changes_by_any_route():
    pupil = PupilFactory()
    pupil.set_password("otter-maple-47")
    pupil.save()
    cards.card_store(users_passwords=[(pupil, "otter-maple-47")])
    card = CardPassword.objects.get(user=pupil)
    assert cards.card_password(pupil, card) == "otter-maple-47"
    pupil.set_password("my own choice 123")  # e.g. through the Django admin
    pupil.save()
    assert cards.card_password(pupil, card) is None


def test_memorable_passwords_are_three_words_and_a_number():
    seen = {cards.memorable_password() for _ in range(200)}
    assert len(seen) > 190
    for password in seen:
        *words, number = password.split("-")
        assert len(words) == 3 and set(words) <= set(WORDS) and len(set(words)) == 3
        assert 10 <= int(number) <= 99


def test_the_word_list_is_short_plain_and_unambiguous():
    assert len(WORDS) == len(set(WORDS)) >= 200
    for word in WORDS:
        assert re.fullmatch(r"[a-z]{3,8}", word), word


def test_usernames_come_from_the_name_and_avoid_taken_ones():
    names = ["Zoë O'Neil", "Zoë O'Neil 2", "李", "Amara K."]
    taken_calls = []

    def taken(candidates):
        taken_calls.append(candidates)
        return {candidates[0]} if len(taken_calls) == 1 else set()

    result = cards.unique_usernames(names, taken=taken, rng=random.Random(1))
    assert len(set(result)) == 4
    assert result[0].startswith("zoeoneil") and result[2].startswith("pupil")
    assert result[3].startswith("amarak") and re.fullmatch(r"amarak\d{3}", result[3])
    assert len(taken_calls) == 2  # one look-up per round, not one per name
