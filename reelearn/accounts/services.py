"""Account workflows that outlive a request: a password changed or reset, signing out
everywhere. Apps above this one react through `account_secured` (the API revokes its tokens)."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from django.db.models import F
from django.dispatch import Signal, receiver

from . import cards
from .models import User

# Sent when every credential an account has handed out must stop working: a password changed,
# set or reset (by the user or their teacher), or "sign out everywhere". Receivers get `user`.
account_secured = Signal()


def sign_out_everywhere(*, user) -> None:
    """Every session signed in before now ends (the session hash includes auth_epoch)."""
    User.objects.filter(pk=user.pk).update(auth_epoch=F("auth_epoch") + 1)
    user.refresh_from_db(fields=["auth_epoch"])
    account_secured.send(sender=User, user=user)


def password_replaced(*, user) -> None:
    """A teacher reset this pupil's password (a new login card), or an adult reset theirs."""
    account_secured.send(sender=User, user=user)


@receiver(password_changed, dispatch_uid="reelearn.accounts.password_changed")
@receiver(password_set, dispatch_uid="reelearn.accounts.password_set")
def _chose_own_password(sender, request, user, **kwargs):
    """The login card's copy is no longer kept; tokens from the old password stop working."""
    cards.card_forget(user=user)
    account_secured.send(sender=User, user=user)


@receiver(password_reset, dispatch_uid="reelearn.accounts.password_reset")
def _reset_by_email(sender, request, user, **kwargs):
    cards.card_forget(user=user)
    account_secured.send(sender=User, user=user)
