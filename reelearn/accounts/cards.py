"""Pupils' generated credentials and the secret box that keeps a login card reprintable.

Why a card password is kept at all
----------------------------------
Pupils have no email, so a forgotten password cannot be reset by mail: the teacher prints a
card. Teachers reprint cards (a lost card, a new term) and the packs app prints every pupil's
card in a class pack PDF, long after the pupils were added. We therefore keep the password
*printed on the current card* — never a password the pupil chose — in a recoverable form:

* encrypted, not hashed, with a key derived from ``SECRET_KEY`` (HMAC-SHA256 as a PRF in counter
  mode for the keystream, encrypt-then-MAC with a second derived key, a random nonce per
  secret). A database dump alone reveals nothing; with ``SECRET_KEY_FALLBACKS`` a rotated key
  still opens old cards, and a key that is gone simply makes the card unrecoverable (``None``);
* bound to the password hash it was made with (a fingerprint of ``user.password``): as soon as
  the pupil, an admin or anyone else changes the password, the card reads as "no longer
  recoverable" without anyone having to remember to delete it — and the pupil's own change of
  password deletes the row (`card_forget`). When Django re-hashes the *same* password on
  sign-in (a stronger hasher, more iterations), the card follows the new hash
  (`User.check_password` → `card_rebind`): a card works until a teacher resets it;
* readable only by the teachers of the class that made the account, while the pupil is active
  in it (through `reelearn.classroom.selectors.login_cards`).

The residual risk — someone with both the database and the secret key reads card passwords —
is the same as that of the printed card itself, for accounts that hold only a display name and
school work. Only the standard library is used (no new dependency for a handful of bytes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata

from django.conf import settings
from django.db import transaction

from .words import NUMBERS, WORDS, WORDS_PER_PASSWORD

NONCE_BYTES = 16
TAG_BYTES = 32
VERSION = b"\x01"


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    master = hashlib.sha256(f"reelearn.login-card:{secret_key}".encode()).digest()
    enc = hmac.new(master, b"encrypt", hashlib.sha256).digest()
    mac = hmac.new(master, b"authenticate", hashlib.sha256).digest()
    return enc, mac


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def seal(plaintext: str) -> str:
    """Encrypt and authenticate a short text with the current SECRET_KEY."""
    enc, mac = _keys(settings.SECRET_KEY)
    data = plaintext.encode()
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = bytes(a ^ b for a, b in zip(data, _keystream(enc, nonce, len(data)), strict=True))
    tag = hmac.new(mac, VERSION + nonce + body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(VERSION + nonce + body + tag).decode()


def unseal(token: str) -> str | None:
    """The text, or None when it was tampered with or sealed under a key we no longer have."""
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (ValueError, TypeError):
        return None
    if len(raw) < 1 + NONCE_BYTES + TAG_BYTES or raw[:1] != VERSION:
        return None
    nonce, body, tag = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES : -TAG_BYTES], raw[-TAG_BYTES:]
    for key in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])):
        enc, mac = _keys(key)
        expected = hmac.new(mac, VERSION + nonce + body, hashlib.sha256).digest()
        if hmac.compare_digest(expected, tag):
            stream = _keystream(enc, nonce, len(body))
            return bytes(a ^ b for a, b in zip(body, stream, strict=True)).decode()
    return None


def fingerprint(password_hash: str) -> str:
    """Ties a stored card to one password hash: any later change of password voids the card."""
    return hmac.new(
        settings.SECRET_KEY.encode(), password_hash.encode(), hashlib.sha256
    ).hexdigest()[:32]


# --- Generating credentials --------------------------------------------------------------------


def memorable_password(rng=None) -> str:
    """word-word-word-number, e.g. ``otter-maple-comet-47``: easy for a seven-year-old to type,
    about 33 bits (`words.PASSWORD_BITS`) — guessing is slowed further by the sign-in lock-out."""
    rng = rng or secrets.SystemRandom()
    words = rng.sample(WORDS, WORDS_PER_PASSWORD)
    return "-".join([*words, str(rng.choice(NUMBERS))])


def username_stem(display_name: str) -> str:
    """ASCII letters of a display name: "Zoë O'Neil" → "zoeoneil" (at most 12 letters)."""
    ascii_name = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z]", "", ascii_name.lower())[:12]
    return stem or "pupil"


def unique_usernames(display_names: list[str], *, taken, rng=None) -> list[str]:
    """One new username per name: stem + three digits, avoiding `taken(candidates) -> set`.

    `taken` is asked once per round with all candidates (one query), so adding thirty pupils
    costs one or two queries, not thirty.
    """
    rng = rng or secrets.SystemRandom()
    result: list[str | None] = [None] * len(display_names)
    used: set[str] = set()
    for _round in range(20):
        todo = [i for i, u in enumerate(result) if u is None]
        if not todo:
            break
        candidates = {}
        for i in todo:
            name = f"{username_stem(display_names[i])}{rng.randrange(100, 1000)}"
            if name not in used and name not in candidates.values():
                candidates[i] = name
        clash = taken(list(candidates.values()))
        for i, name in candidates.items():
            if name not in clash:
                result[i] = name
                used.add(name)
    if any(u is None for u in result):  # pragma: no cover - 900 numbers per stem per round
        raise RuntimeError("could not find free usernames")
    return result  # type: ignore[return-value]


# --- Storing the current card ------------------------------------------------------------------


def card_store(*, users_passwords: list[tuple]) -> None:
    """Keep the password printed on each user's current card (replacing an older card)."""
    from .models import CardPassword

    rows = [
        CardPassword(user=user, sealed=seal(password), fingerprint=fingerprint(user.password))
        for user, password in users_passwords
    ]
    with transaction.atomic():
        CardPassword.objects.filter(user__in=[u for u, _ in users_passwords]).delete()
        CardPassword.objects.bulk_create(rows)


def card_password(user, card) -> str | None:
    """The card's password if it still opens the account, else None."""
    if card is None or not hmac.compare_digest(card.fingerprint, fingerprint(user.password)):
        return None
    return unseal(card.sealed)


def card_rebind(*, user, old_hash: str) -> None:
    """The same password got a new hash (Django upgrades hashes on sign-in): a card that was
    bound to the old hash — so prints this very password — is bound to the new one. A card
    already void (the password changed since) stays void."""
    from .models import CardPassword

    CardPassword.objects.filter(user=user, fingerprint=fingerprint(old_hash)).update(
        fingerprint=fingerprint(user.password)
    )


def card_forget(*, user) -> None:
    from .models import CardPassword

    CardPassword.objects.filter(user=user).delete()
