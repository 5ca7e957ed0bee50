"""Authentication backends: the lock-out's check first, then Django's and allauth's, each
reading a signed-in request's user with one prepared statement.

Every signed-in request (a pupil's lesson page, "My work", a teacher's class) loads its user
from the session's user id. Django's backends read it with `User.objects.get(pk=…)`, which
compiles the 20-column query anew each time: most of the read's cost, and about a fifth of a
pupil's whole lesson page. `SessionUser` runs the same query, compiled once per connection
(reelearn.core.db.prepared), and builds the same instance; the checks around it (the session's
hash, an inactive account) are Django's own.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from reelearn.core.db.prepared import PreparedQuery, field_names, instances


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before any password is tried. A check with no request (a management
    command, a shell) has no client to count and is let through to the real backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _user_by_id(user_id: int):
    User = get_user_model()
    return User._default_manager.filter(pk=user_id).values_list(*field_names(User))


_USER_BY_ID = PreparedQuery(_user_by_id)


class SessionUser:
    """A backend's `get_user`, as Django's ModelBackend does it, by a prepared read."""

    def get_user(self, user_id):
        rows = _USER_BY_ID.rows(user_id)
        if not rows:
            return None
        (user,) = instances(rows[0], get_user_model())
        return user if self.user_can_authenticate(user) else None


class ModelBackend(SessionUser, DjangoModelBackend):
    """Django's username and password backend."""


class AuthenticationBackend(SessionUser, AllauthBackend):
    """allauth's backend (sign-in by email or username)."""


# Sessions started before these classes name Django's and allauth's own; the sign-in middleware
# (reelearn.accounts.middleware) renames them on their next request, so nobody is signed out.
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "reelearn.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "reelearn.accounts.backends.AuthenticationBackend"
    ),
}
