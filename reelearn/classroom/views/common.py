"""Access helpers shared by the HTML views: reads through visible_to (404), writes checked (403)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..permissions import can_manage_classroom, can_own_classroom
from ..selectors import classroom_for


def forbidden(request, message: str | None = None):
    return render(
        request,
        "classroom/forbidden.html",
        {
            "message": message or _("You do not have permission to do this."),
        },
        status=403,
    )


def class_view(*, methods=("GET",), own: bool = False):
    """For /classes/<class_id>/…: sign-in needed; a class you cannot see is a 404; one you see
    but may not manage (a pupil in it; a co-teacher for owner-only actions) is a 403."""

    def decorate(view):
        @wraps(view)
        @never_cache
        @require_http_methods(list(methods))
        def wrapper(request, class_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            classroom = classroom_for(request.user, class_id)
            allowed = can_own_classroom if own else can_manage_classroom
            if not allowed(request.user, classroom):
                return forbidden(
                    request,
                    _("Only the class's owner can do this.")
                    if own and can_manage_classroom(request.user, classroom)
                    else None,
                )
            return view(request, classroom, *args, **kwargs)

        return wrapper

    return decorate


def role_view(role: str, *, methods=("GET",)):
    """Pages for one role (teachers: /classes/, pupils: /my-work/); others get a 403."""

    def decorate(view):
        @wraps(view)
        @never_cache
        @require_http_methods(list(methods))
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role == "teacher" and user.is_teacher and not user.is_verified_teacher:
                messages.info(
                    request,
                    _("Your school has not verified your account yet; this page says how."),
                )
                return redirect("schools:status")
            if not getattr(user, f"is_{role}", False):
                message = (
                    _("This page is for teachers.")
                    if role == "teacher"
                    else _(
                        "This page is for pupils. Teachers follow their pupils' "
                        "work from “My classes”."
                    )
                )
                return forbidden(request, message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
