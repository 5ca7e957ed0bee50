"""Schools and the teachers they vouch for.

A teacher is verified (``User.verified_at`` set) exactly when they hold a verified membership of
an approved school; ``services.teachers_verification_sync`` keeps the two in step.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(token: str) -> str:
    """Invitation tokens are stored as their SHA-256: a database leak gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class SchoolQuerySet(models.QuerySet):
    def approved(self) -> SchoolQuerySet:
        return self.filter(status=School.Status.APPROVED)

    def pending(self) -> SchoolQuerySet:
        return self.filter(status=School.Status.PENDING)


class School(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=150)
    town = models.CharField(_("town"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    requested_at = models.DateTimeField(_("registered"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved or declined by"),
    )
    decided_at = models.DateTimeField(_("approved or declined"), null=True, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name", "pk"]
        permissions = [("approve_school", "Can approve or decline schools")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="school_decision_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.town, self.country) if part)


class SchoolMembership(models.Model):
    """One school per teacher. `status` is the school's word on this teacher; the teacher is
    verified once that word is "verified" and the school itself is approved."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        ADMIN = "admin", _("School admin")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        VERIFIED = "verified", _("Verified")

    class Via(models.TextChoices):
        REQUEST = "request", _("Request approved by a school admin")
        INVITATION = "invitation", _("Invitation link")
        DOMAIN = "domain", _("School email address")
        REGISTRATION = "registration", _("Registered the school")
        STAFF = "staff", _("REElearn's editors")
        MIGRATION = "migration", _("Moved from the old school field")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    teacher = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_membership"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TEACHER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    via = models.CharField(_("joined by"), max_length=16, choices=Via.choices)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    decided_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("school membership")
        ordering = ["school", "teacher__display_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_at__isnull=False),
                name="verified_membership_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(role="teacher") | Q(status="verified"),
                name="school_admin_is_verified_member",
            ),
        ]

    def __str__(self) -> str:  # ids only: this may end up in logs
        return f"membership of teacher {self.teacher_id} in school {self.school_id}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class SchoolInvitation(models.Model):
    """A link a school admin hands to colleagues. Multi-use until it expires or is revoked, or
    single-use when made so; the token itself is shown once and stored only as a digest."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False)
    single_use = models.BooleanField(_("one colleague only"), default=False)
    uses = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("school invitation")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to school {self.school_id}"

    def usable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.revoked_at is None
            and self.expires_at > now
            and not (self.single_use and self.uses >= 1)
        )


class SchoolDomain(models.Model):
    """An email domain a school admin proved they receive mail at; teachers with a confirmed
    address there join the school verified."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253)
    proof_address = models.EmailField(_("address the proof was sent to"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    proved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("school email domain")
        ordering = ["domain", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "domain"], name="one_row_per_school_domain"),
            models.UniqueConstraint(
                fields=["domain"],
                condition=Q(proved_at__isnull=False),
                name="a_domain_is_proved_by_one_school",
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_proved(self) -> bool:
        return self.proved_at is not None
