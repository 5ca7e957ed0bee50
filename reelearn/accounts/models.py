from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who signs in. Pupils have no email and no date of birth, by design."""

    class Role(models.TextChoices):
        PUPIL = "pupil", _("Pupil")
        TEACHER = "teacher", _("Teacher")
        EDITOR = "editor", _("Editor")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TEACHER)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("For pupils a first name and an initial is enough."),
    )
    school_name = models.CharField(_("school"), max_length=150, blank=True)
    verified_at = models.DateTimeField(
        _("verified"),
        null=True,
        blank=True,
        help_text=_(
            "When a school (or REElearn's editors) confirmed this teacher. Kept by the schools "
            "app: only verified teachers see teacher material or make classes and pupils."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language REElearn speaks to this person in, and reads lessons in."),
    )
    auth_epoch = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised by 'sign out everywhere': every session signed in before it ends.",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="pupil") | Q(email=""), name="pupil_has_no_email"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def check_password(self, raw_password) -> bool:
        """Django's check, which re-hashes a right password when the hasher or its iteration
        count has changed (a pupil's first sign-in after `hash_generated_password`). That is
        the same password under a new hash, not a change: the login card stays valid."""
        old_hash = self.password
        ok = super().check_password(raw_password)
        if ok and self.password != old_hash:
            from .cards import card_rebind

            card_rebind(user=self, old_hash=old_hash)
        return ok

    async def acheck_password(self, raw_password) -> bool:
        from asgiref.sync import sync_to_async

        from .cards import card_rebind

        old_hash = self.password
        ok = await super().acheck_password(raw_password)
        if ok and self.password != old_hash:
            await sync_to_async(card_rebind)(user=self, old_hash=old_hash)
        return ok

    @property
    def is_pupil(self) -> bool:
        return self.role == self.Role.PUPIL

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER

    @property
    def is_editor(self) -> bool:
        """Editors work in the Wagtail admin; superusers count as editors too."""
        return self.role == self.Role.EDITOR or self.is_superuser

    @property
    def is_verified_teacher(self) -> bool:
        """A teacher their school has confirmed: may make classes and pupils."""
        return self.is_active and self.is_teacher and self.verified_at is not None

    @property
    def can_see_teacher_material(self) -> bool:
        """Teacher guides, answer keys and teacher packs: verified teachers and editors only."""
        return self.is_active and (self.is_verified_teacher or self.is_editor)

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, with the sign-out epoch mixed in: raising the epoch
        ends every session, as a password change does (tests/accounts guard both)."""
        return self._session_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str) -> str:
        return salted_hmac(
            "reelearn.accounts.User.session",
            f"{self.password}:{self.auth_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class CardPassword(models.Model):
    """The password printed on a pupil's current login card, sealed (see accounts.cards)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="card_password")
    sealed = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("login card password")

    def __str__(self) -> str:
        return f"login card #{self.pk}"
