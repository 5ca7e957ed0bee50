"""Pupils: added in bulk by their teacher or joining with a class code; passwords, approval."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reelearn.accounts import cards, lockout
from reelearn.accounts import services as account_services
from reelearn.core.text import BIDI_CONTROLS, text_problem

from ..models import Assignment, AssignmentPupil, Classroom, Membership

logger = logging.getLogger(__name__)
NAME_MAX = 40
KEEP_TO_REFUSE = BIDI_CONTROLS | {"\x00"}


@dataclass(frozen=True)
class Credential:
    """A pupil's username and password, shown once (and kept on the login card)."""

    user: object
    username: str
    password: str
    display_name: str


class _BulkHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds for generated passwords only, so sixty pupils take two seconds
    rather than thirty. Django re-hashes with the full default on the pupil's first sign-in
    (`must_update`), and the generated password is printed on a card anyway."""

    iterations = 100_000


def hash_generated_password(password: str) -> str:
    default = get_hasher("default")
    if default.algorithm == PBKDF2PasswordHasher.algorithm:
        return make_password(password, hasher=_BulkHasher())
    return make_password(password)


def normalise_name(raw: str) -> str:
    """NFC, single spaces, no control characters — but NUL, unpaired surrogates and
    bidirectional controls are kept, so that `_name_errors` refuses them out loud rather than
    storing a name that silently differs from what was typed."""
    name = unicodedata.normalize("NFC", raw or "")
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch)[0] != "C" or ch in KEEP_TO_REFUSE or "\ud800" <= ch <= "\udfff"
    )
    return re.sub(r"\s+", " ", name).strip()


def _name_errors(name: str) -> str | None:
    if not name:
        return _("A name is empty.")
    if problem := text_problem(name, name=True):
        return problem
    if len(name) > NAME_MAX:
        return _("“%(name)s…” is too long: a first name and an initial is enough.") % {
            "name": name[:20]
        }
    if "@" in name:
        return _(
            "“%(name)s” looks like an email address: pupils need only a first name and an initial."
        ) % {"name": name}
    return None


def clean_pupil_names(*, classroom: Classroom, names: list[str]) -> list[str]:
    """Validate a list of display names for `classroom`; raises ValidationError on "names"."""
    limit = settings.REELEARN_BULK_PUPILS_MAX
    cleaned = [normalise_name(n) for n in names]
    errors = []
    if not cleaned:
        errors.append(_("Type at least one name, one per line."))
    if len(cleaned) > limit:
        errors.append(
            ngettext(
                "You can add up to %(limit)d pupil at a time; you typed %(count)d names.",
                "You can add up to %(limit)d pupils at a time; you typed %(count)d names.",
                limit,
            )
            % {"limit": limit, "count": len(cleaned)}
        )
    errors.extend(e for e in (_name_errors(n) for n in cleaned) if e)
    seen, repeated = set(), []
    for name in cleaned:
        key = name.casefold()
        if key in seen and name not in repeated:
            repeated.append(name)
        seen.add(key)
    if repeated:
        errors.append(
            _(
                "These names appear more than once: %(names)s. Add an initial to tell "
                "the pupils apart."
            )
            % {"names": ", ".join(repeated)}
        )
    existing = {
        n.casefold(): n
        for n in get_user_model()
        .objects.filter(memberships__classroom=classroom)
        .values_list("display_name", flat=True)
    }
    already = [n for n in cleaned if n and n.casefold() in existing]
    if already:
        errors.append(
            _("Already in this class: %(names)s. Add an initial to tell the pupils apart.")
            % {"names": ", ".join(already)}
        )
    if errors:
        raise ValidationError({"names": errors})
    return cleaned


def names_from_text(text: str) -> list[str]:
    """One name per line; blank lines are skipped (pasting from a spreadsheet leaves some)."""
    return [line for line in (normalise_name(x) for x in (text or "").splitlines()) if line]


def _make_pupils(display_names: list[str]) -> list[Credential]:
    User = get_user_model()

    def taken(candidates: list[str]) -> set[str]:
        return set(User.objects.filter(username__in=candidates).values_list("username", flat=True))

    usernames = cards.unique_usernames(display_names, taken=taken)
    passwords = [cards.memorable_password() for _ in display_names]
    users = User.objects.bulk_create(
        [
            User(
                username=u,
                display_name=n,
                role=User.Role.PUPIL,
                email="",
                password=hash_generated_password(p),
            )
            for u, n, p in zip(usernames, display_names, passwords, strict=True)
        ]
    )
    if not all(u.pk for u in users):  # backends without RETURNING (not PostgreSQL or SQLite)
        users = list(User.objects.filter(username__in=usernames).order_by("pk"))
    cards.card_store(users_passwords=list(zip(users, passwords, strict=True)))
    return [
        Credential(user=u, username=u.username, password=p, display_name=u.display_name)
        for u, p in zip(users, passwords, strict=True)
    ]


def _link_class_assignments(*, classroom: Classroom, pupils: list) -> None:
    """Pupils who arrive later get the class's whole-class assignments that are already set."""
    assignments = Assignment.objects.filter(
        classroom=classroom, status=Assignment.Status.ASSIGNED, audience=Assignment.Audience.CLASS
    )
    AssignmentPupil.objects.bulk_create(
        [AssignmentPupil(assignment=a, pupil=p) for a in assignments for p in pupils],
        ignore_conflicts=True,
    )


@transaction.atomic
def pupils_create(*, classroom: Classroom, names: list[str]) -> list[Credential]:
    """Add pupils by display name: accounts with generated usernames and memorable passwords.

    All or nothing: a bad name anywhere adds no one.
    """
    if classroom.is_archived:
        raise ValidationError({"names": [_("This class is archived: restore it first.")]})
    display_names = clean_pupil_names(classroom=classroom, names=names)
    credentials = _make_pupils(display_names)
    pupils = [c.user for c in credentials]
    Membership.objects.bulk_create(
        [Membership(classroom=classroom, pupil=p, status=Membership.Status.ACTIVE) for p in pupils]
    )
    _link_class_assignments(classroom=classroom, pupils=pupils)
    Classroom.objects.filter(pk=classroom.pk).update(last_activity_at=timezone.now())
    logger.info("class %s: %d pupils added", classroom.pk, len(pupils))
    return credentials


@transaction.atomic
def pupil_password_reset(*, pupil) -> Credential:
    """A new memorable password and login card; the old password stops working at once."""
    password = cards.memorable_password()
    pupil.set_password(password)
    pupil.save(update_fields=["password"])
    cards.card_store(users_passwords=[(pupil, password)])
    lockout.unlock(username=pupil.username)
    account_services.password_replaced(user=pupil)
    return Credential(
        user=pupil, username=pupil.username, password=password, display_name=pupil.display_name
    )


def membership_approve(*, membership: Membership) -> None:
    with transaction.atomic():
        updated = Membership.objects.filter(
            pk=membership.pk, status=Membership.Status.PENDING
        ).update(status=Membership.Status.ACTIVE)
        if updated:
            membership.status = Membership.Status.ACTIVE
            _link_class_assignments(classroom=membership.classroom, pupils=[membership.pupil])


# --- Joining with a class code -----------------------------------------------------------------


class JoinLocked(Exception):
    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").upper()[:32]


def classroom_join(
    *, code: str, name: str = "", request, pupil=None
) -> tuple[Credential | None, Membership]:
    """A pupil joins with a class code: a new pupil account named `name` — or, for a pupil who
    is already signed in (`pupil`), just a membership. Active, or pending the teacher's approval.

    Wrong, expired or switched-off codes count towards a lock-out per client address (the
    sign-in lock-out's records, reelearn.accounts.lockout); while locked, no code is even
    looked up. Raises JoinLocked or ValidationError (fields "code", "name").
    """
    if lockout.join_code_locked(request):
        raise JoinLocked(lockout.locked_minutes(request))
    normalised = normalise_code(code)
    classroom = (
        Classroom.objects.filter(join_code=normalised).first() if len(normalised) >= 8 else None
    )
    if classroom is None or not classroom.accepts_pupils():
        lockout.join_code_failed(request)
        if classroom is None:
            message = _("That class code is not right. Check it with your teacher.")
        else:
            message = _("That class code no longer works. Ask your teacher for a new one.")
        raise ValidationError({"code": [message]})
    status = (
        Membership.Status.PENDING if classroom.join_needs_approval else Membership.Status.ACTIVE
    )
    with transaction.atomic():
        if pupil is not None:
            credential = None
            if Membership.objects.filter(classroom=classroom, pupil=pupil).exists():
                raise ValidationError({"code": [_("You are already in this class.")]})
            member = pupil
        else:
            try:
                display_name = clean_pupil_names(classroom=classroom, names=[name])[0]
            except ValidationError as error:
                raise ValidationError({"name": error.message_dict["names"]}) from None
            credential = _make_pupils([display_name])[0]
            member = credential.user
        membership = Membership.objects.create(classroom=classroom, pupil=member, status=status)
        if status == Membership.Status.ACTIVE:
            _link_class_assignments(classroom=classroom, pupils=[member])
    logger.info("class %s: a pupil joined with the code (%s)", classroom.pk, status)
    return credential, membership
