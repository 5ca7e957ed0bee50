"""API tokens: one per device, idle ones expire, all revoked when the account is secured."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "rl_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DeviceTokenQuerySet(models.QuerySet):
    def live(self):
        idle = timedelta(days=settings.REELEARN_API_TOKEN_IDLE_DAYS)
        return self.filter(last_used_at__gte=timezone.now() - idle)


class DeviceToken(models.Model):
    """A bearer token for one device. Only its SHA-256 is stored: the key is shown once.

    A token unused for REELEARN_API_TOKEN_IDLE_DAYS stops working; a password change or reset
    and "sign out everywhere" delete all of a user's tokens (reelearn.api.signals).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = DeviceTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("device token")
        indexes = [models.Index(fields=["user", "last_used_at"], name="device_token_user_used")]

    def __str__(self) -> str:
        return f"{self.name or 'API token'} #{self.pk}"

    @classmethod
    def issue(cls, *, user, name: str = "") -> tuple[DeviceToken, str]:
        """A new token and its key (the only time the key exists outside the client)."""
        key = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, digest=digest(key), name=name[:100])
        return token, key

    def is_live(self) -> bool:
        idle = timedelta(days=settings.REELEARN_API_TOKEN_IDLE_DAYS)
        return self.last_used_at >= timezone.now() - idle
