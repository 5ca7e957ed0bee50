"""Django's AuthenticationMiddleware, for sessions that name a backend by its old path."""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.utils.functional import SimpleLazyObject

from .backends import RENAMED


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """`request.user` as Django sets it. A session signed in before the backends became
    reelearn.accounts.backends' names Django's or allauth's own class, which
    AUTHENTICATION_BACKENDS no longer lists: it is renamed to ours when the user is first
    read, instead of being signed out."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    backend = request.session.get(BACKEND_SESSION_KEY)
    if backend in RENAMED:
        request.session[BACKEND_SESSION_KEY] = RENAMED[backend]
    return auth_middleware.get_user(request)
