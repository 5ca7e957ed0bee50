"""allauth's confirmation of an email address, turned into a domain join (see apps.py)."""

from __future__ import annotations

from .services import school_join_by_email


def join_school_by_confirmed_email(sender, request=None, email_address=None, **kwargs) -> None:
    if email_address is None or not email_address.verified:
        return
    school_join_by_email(teacher=email_address.user, email=email_address.email)
