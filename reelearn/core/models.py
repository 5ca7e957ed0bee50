from __future__ import annotations

from django.db import models


class Throttle(models.Model):
    """Failure counter for one scope and key (a sign-in name, a client address, a join code).

    Kept in the database so that every web process and machine shares one count. Keys are hashed:
    no usernames or addresses are stored in clear.
    """

    scope = models.CharField(max_length=32)
    key_hash = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="throttle_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} throttle"
