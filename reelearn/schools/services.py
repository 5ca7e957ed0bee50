"""School workflows: registering and approving schools, and the four ways a teacher gets in
(request, invitation, email domain, registration). Every path that changes who is verified ends
in `teachers_verification_sync`, the one place that writes ``User.verified_at``."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reelearn.core.text import text_problem

from .models import School, SchoolDomain, SchoolInvitation, SchoolMembership, token_digest

logger = logging.getLogger(__name__)

INVITATION_DAYS = 14
DOMAIN_PROOF_MAX_AGE = timedelta(days=3)
DOMAIN_PROOF_SALT = "reelearn.schools.domain-proof"

# Addresses anyone can get: proving one says nothing about a school.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "mail.com",
        "yandex.ru",
        "qq.com",
        "163.com",
        "zoho.com",
    }
)

Status, Role, Via = SchoolMembership.Status, SchoolMembership.Role, SchoolMembership.Via


# --- Verification: the one writer of User.verified_at --------------------------------------------


def teachers_verification_sync(*, teacher_ids: Iterable[int]) -> set[int]:
    """Set ``verified_at`` for these teachers exactly when they hold a verified membership of
    an approved school, and clear it otherwise. Returns the ids now verified."""
    ids = set(teacher_ids)
    if not ids:
        return set()
    User = get_user_model()
    verified = set(
        SchoolMembership.objects.filter(
            teacher_id__in=ids, status=Status.VERIFIED, school__status=School.Status.APPROVED
        ).values_list("teacher_id", flat=True)
    )
    User.objects.filter(pk__in=verified, role=User.Role.TEACHER, verified_at__isnull=True).update(
        verified_at=timezone.now()
    )
    User.objects.filter(pk__in=ids - verified, verified_at__isnull=False).update(verified_at=None)
    return verified


def _sync(*teachers) -> None:
    """Sync and refresh the in-memory users too, so the caller's `request.user` tells the truth."""
    teachers_verification_sync(teacher_ids=[t.pk for t in teachers])
    User = get_user_model()
    fresh = dict(
        User.objects.filter(pk__in=[t.pk for t in teachers]).values_list("pk", "verified_at")
    )
    for teacher in teachers:
        teacher.verified_at = fresh.get(teacher.pk)


def _school_sync(school: School) -> None:
    teachers_verification_sync(
        teacher_ids=SchoolMembership.objects.filter(school=school).values_list(
            "teacher_id", flat=True
        )
    )


def _check_can_join(teacher) -> None:
    if not (teacher.is_active and teacher.is_teacher):
        raise ValidationError(_("Only teacher accounts join schools."))
    if SchoolMembership.objects.filter(teacher=teacher).exists():
        raise ValidationError(_("You already belong to a school. Leave it first to join another."))


def _create_membership(**fields) -> SchoolMembership:
    try:
        with transaction.atomic():
            return SchoolMembership.objects.create(**fields)
    except IntegrityError:  # a second tab joined in between: one school per teacher
        raise ValidationError(
            _("You already belong to a school. Leave it first to join another.")
        ) from None


# --- Schools ---------------------------------------------------------------------------------


def _clean_school_fields(*, name: str, town: str, country: str) -> dict:
    fields = {
        "name": (name or "").strip(),
        "town": (town or "").strip(),
        "country": (country or "").strip(),
    }
    errors: dict[str, list] = {}
    limits = {"name": 150, "town": 100, "country": 100}
    if not fields["name"]:
        errors["name"] = [_("Give the school's full name.")]
    for key, value in fields.items():
        if len(value) > limits[key]:
            errors.setdefault(key, []).append(
                _("At most %(limit)d characters.") % {"limit": limits[key]}
            )
        elif problem := text_problem(value, name=True):
            errors.setdefault(key, []).append(problem)
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def school_register(*, teacher, name: str, town: str = "", country: str = "") -> School:
    """A teacher with no school registers one and becomes its admin; REElearn's editors approve
    it before anyone in it is verified."""
    fields = _clean_school_fields(name=name, town=town, country=country)
    _check_can_join(teacher)
    school = School.objects.create(**fields, requested_by=teacher)
    now = timezone.now()
    _create_membership(
        school=school,
        teacher=teacher,
        role=Role.ADMIN,
        status=Status.VERIFIED,
        via=Via.REGISTRATION,
        decided_at=now,
    )
    logger.info("school %s registered, waiting for approval", school.pk)
    return school


@transaction.atomic
def school_approve(*, school: School, by) -> School:
    """Staff approve a school: its verified members (its admin) become verified teachers."""
    School.objects.filter(pk=school.pk).update(
        status=School.Status.APPROVED, decided_by=by, decided_at=timezone.now()
    )
    school.refresh_from_db()
    _school_sync(school)
    logger.info("school %s approved", school.pk)
    return school


@transaction.atomic
def school_decline(*, school: School, by) -> School:
    """Staff decline a school: nobody in it is verified; its members may leave and try again."""
    School.objects.filter(pk=school.pk).update(
        status=School.Status.DECLINED, decided_by=by, decided_at=timezone.now()
    )
    school.refresh_from_db()
    _school_sync(school)
    logger.info("school %s declined", school.pk)
    return school


# --- Memberships -------------------------------------------------------------------------------


def membership_request(*, teacher, school: School) -> SchoolMembership:
    """A teacher with no school asks an approved school's admins to let them in."""
    _check_can_join(teacher)
    if not school.is_approved:
        raise ValidationError(_("That school cannot take requests yet."))
    return _create_membership(school=school, teacher=teacher, via=Via.REQUEST)


@transaction.atomic
def membership_verify(
    *, membership: SchoolMembership, by, make_admin: bool = False
) -> SchoolMembership:
    """A school admin approves a request (or REElearn's editors verify someone, possibly as the
    school's admin)."""
    fields = {"status": Status.VERIFIED}
    if membership.status != Status.VERIFIED:
        fields |= {"decided_by": by, "decided_at": timezone.now()}
    if make_admin:
        fields["role"] = Role.ADMIN
    SchoolMembership.objects.filter(pk=membership.pk).update(**fields)
    for key, value in fields.items():
        setattr(membership, key, value)
    _sync(membership.teacher)
    return membership


def membership_make_admin(*, membership: SchoolMembership, by) -> SchoolMembership:
    if not membership.is_verified:
        raise ValidationError(_("Approve this teacher before making them a school admin."))
    return membership_verify(membership=membership, by=by, make_admin=True)


@transaction.atomic
def membership_end(*, membership: SchoolMembership, by=None) -> None:
    """A declined request, a teacher removed by their school admin, or a teacher leaving: the
    membership goes and with it the teacher's verification. A school keeps at least one admin."""
    if membership.is_admin and membership.school.is_approved:
        admins = SchoolMembership.objects.filter(school=membership.school, role=Role.ADMIN)
        if not admins.exclude(pk=membership.pk).exists():
            raise ValidationError(
                _("A school needs at least one admin: make someone else an admin first.")
            )
    teacher = membership.teacher
    SchoolMembership.objects.filter(pk=membership.pk).delete()
    _sync(teacher)
    logger.info("teacher %s left school %s", teacher.pk, membership.school_id)


def membership_leave(*, teacher) -> None:
    """A teacher withdraws a request, or leaves a school that is not (or no longer) approved.
    A verified teacher of an approved school asks their school admin instead."""
    membership = SchoolMembership.objects.filter(teacher=teacher).select_related("school").first()
    if membership is None:
        return
    if membership.is_verified and membership.school.is_approved:
        raise ValidationError(
            _("You are verified at %(school)s: ask its school admin to remove you.")
            % {"school": membership.school.name}
        )
    school = membership.school
    SchoolMembership.objects.filter(pk=membership.pk).delete()
    _sync(teacher)
    if (
        school.status == School.Status.PENDING
        and school.requested_by_id == teacher.pk
        and not school.memberships.exists()
    ):
        school.delete()  # a registration withdrawn before anyone looked at it


# --- Invitations -----------------------------------------------------------------------------


def invitation_create(
    *, school: School, by, single_use: bool = False
) -> tuple[SchoolInvitation, str]:
    """A new invitation link's token, returned once: only its digest is kept."""
    token = secrets.token_urlsafe(32)
    invitation = SchoolInvitation.objects.create(
        school=school,
        token_digest=token_digest(token),
        token_hint=token[:6],
        single_use=single_use,
        created_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def invitation_revoke(*, invitation: SchoolInvitation) -> None:
    SchoolInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def invitation_for_token(token: str) -> SchoolInvitation:
    """The invitation a link names, if it still works; else ValidationError saying why."""
    invitation = (
        SchoolInvitation.objects.filter(token_digest=token_digest(token or ""))
        .select_related("school")
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not right. Ask your school admin for a new one.")
        )
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation was withdrawn by your school admin. Ask them for a new one.")
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask your school admin for a new link.")
        )
    if not invitation.usable():
        raise ValidationError(
            _("This invitation was for one colleague and has been used. Ask for a new one.")
        )
    if not invitation.school.is_approved:
        raise ValidationError(
            _("%(school)s is not approved on REElearn, so its invitations do not work.")
            % {"school": invitation.school.name}
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, teacher) -> SchoolMembership:
    """Join the invitation's school, verified. A teacher who only asked to join that school is
    verified by the link too."""
    invitation = invitation_for_token(token)
    existing = SchoolMembership.objects.filter(teacher=teacher).first()
    if existing is not None and existing.school_id == invitation.school_id:
        if existing.is_verified:
            return existing
        membership = existing
    else:
        _check_can_join(teacher)
        membership = _create_membership(
            school=invitation.school, teacher=teacher, via=Via.INVITATION
        )
    used = SchoolInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True)
    if invitation.single_use:
        used = used.filter(uses=0)
    if not used.update(uses=invitation.uses + 1):  # a single-use link taken at the same moment
        raise ValidationError(
            _("This invitation was for one colleague and has been used. Ask for a new one.")
        )
    SchoolMembership.objects.filter(pk=membership.pk).update(via=Via.INVITATION)
    return membership_verify(membership=membership, by=invitation.created_by)


# --- Email domains ---------------------------------------------------------------------------


def domain_of(address: str) -> str:
    return (address or "").rsplit("@", 1)[-1].strip().lower().rstrip(".")


def _proof_url(domain: SchoolDomain) -> str:
    token = signing.dumps(
        {"d": domain.pk, "a": domain.proof_address}, salt=DOMAIN_PROOF_SALT, compress=True
    )
    return settings.SITE_URL.rstrip("/") + reverse("schools:domain-confirm", args=[token])


def domain_add(*, school: School, by, address: str) -> SchoolDomain:
    """Start proving a domain: email a signed link to `address`, an address at that domain."""
    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {
                "address": [
                    _("Type an email address at your school's domain, e.g. office@school.org.")
                ]
            }
        ) from None
    domain = domain_of(address)
    if domain in PUBLIC_MAIL_DOMAINS:
        raise ValidationError(
            {
                "address": [
                    _(
                        "%(domain)s is a public email service: anyone can have an address there, "
                        "so it cannot vouch for your teachers. Use your school's own domain."
                    )
                    % {"domain": domain}
                ]
            }
        )
    taken = SchoolDomain.objects.filter(domain=domain, proved_at__isnull=False)
    if taken.exclude(school=school).exists():
        raise ValidationError(
            {"address": [_("Another school has already proved %(domain)s.") % {"domain": domain}]}
        )
    if taken.filter(school=school).exists():
        raise ValidationError(
            {"address": [_("Your school has already proved %(domain)s.") % {"domain": domain}]}
        )
    row, _created = SchoolDomain.objects.update_or_create(
        school=school,
        domain=domain,
        defaults={"proof_address": address, "added_by": by, "added_at": timezone.now()},
    )
    context = {"school": school, "domain": domain, "url": _proof_url(row), "by": by}
    send_mail(
        subject=render_to_string("schools/email/domain_proof_subject.txt", context).strip(),
        message=render_to_string("schools/email/domain_proof.txt", context),
        html_message=render_to_string("schools/email/domain_proof.html", context),
        from_email=None,
        recipient_list=[address],
    )
    return row


def domain_for_proof(token: str) -> SchoolDomain:
    try:
        data = signing.loads(
            token, salt=DOMAIN_PROOF_SALT, max_age=DOMAIN_PROOF_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This confirmation link has expired. Your school admin can send a new one.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not right.")) from None
    row = (
        SchoolDomain.objects.filter(pk=data.get("d"), proof_address=data.get("a"))
        .select_related("school")
        .first()
    )
    if row is None:
        raise ValidationError(
            _("This confirmation link was replaced by a newer one, or the domain was removed.")
        )
    return row


@transaction.atomic
def domain_prove(*, token: str) -> SchoolDomain:
    """The signed link was opened at the domain: the domain is the school's. Teachers with a
    confirmed address there and no school join it now (others join when they confirm one)."""
    row = domain_for_proof(token)
    if row.is_proved:
        return row
    if not row.school.is_approved:
        raise ValidationError(_("The school is not approved on REElearn."))
    try:
        with transaction.atomic():
            SchoolDomain.objects.filter(pk=row.pk).update(proved_at=timezone.now())
    except IntegrityError:
        raise ValidationError(
            _("Another school has already proved %(domain)s.") % {"domain": row.domain}
        ) from None
    row.refresh_from_db()
    for teacher, email in _confirmed_teachers_at(row.domain):
        school_join_by_email(teacher=teacher, email=email)
    return row


def _confirmed_teachers_at(domain: str) -> list:
    from django.apps import apps

    if not apps.is_installed("allauth.account"):
        return []
    from allauth.account.models import EmailAddress

    return [
        (a.user, a.email)
        for a in EmailAddress.objects.filter(
            verified=True,
            email__iendswith="@" + domain,
            user__role=get_user_model().Role.TEACHER,
            user__is_active=True,
        ).select_related("user")
    ]


def school_join_by_email(*, teacher, email: str) -> SchoolMembership | None:
    """A teacher confirmed `email`: if a school proved its domain, they join it verified (or a
    request to that school is verified). Any other membership is left alone."""
    if not (teacher.is_active and teacher.is_teacher):
        return None
    row = (
        SchoolDomain.objects.filter(
            domain=domain_of(email), proved_at__isnull=False, school__status=School.Status.APPROVED
        )
        .select_related("school")
        .first()
    )
    if row is None:
        return None
    with transaction.atomic():
        existing = SchoolMembership.objects.filter(teacher=teacher).first()
        if existing is None:
            try:
                membership = _create_membership(school=row.school, teacher=teacher, via=Via.DOMAIN)
            except ValidationError:
                return None
        elif existing.school_id == row.school_id and not existing.is_verified:
            membership = existing
            SchoolMembership.objects.filter(pk=existing.pk).update(via=Via.DOMAIN)
        else:
            return None
        return membership_verify(membership=membership, by=None)
