"""A teacher's way to verification: the status page, registering a school, asking to join one,
invitation links, and the domain proof link a school admin receives by email."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .contributions import admin_page_url_name
from .forms import SchoolChoiceForm, SchoolRegisterForm, SchoolSearchForm
from .models import School


def _forbidden(request, message: str):
    return render(request, "schools/forbidden.html", {"message": message}, status=403)


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages_ in error.message_dict.values() for m in messages_)
    return " ".join(error.messages)


def teacher_view(*, methods=("GET",)):
    """Signed-in teachers only (verified or not): others are sent to sign in, or refused."""

    def decorate(view):
        @wraps(view)
        @never_cache
        @require_http_methods(list(methods))
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_teacher:
                return _forbidden(
                    request, _("Schools verify teachers; this page is for teacher accounts.")
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


@teacher_view()
def status(request):
    membership = selectors.membership_of(request.user)
    search = SchoolSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    url_name = admin_page_url_name()
    admin_url = (
        reverse(url_name)
        if url_name and membership and membership.is_admin and request.user.is_verified_teacher
        else None
    )
    return render(
        request,
        "schools/status.html",
        {
            "membership": membership,
            "school": membership.school if membership else None,
            "state": _state(request.user, membership),
            "search": search,
            "query": query,
            "matches": list(selectors.schools_matching(query)) if query and not membership else [],
            "admin_url": admin_url,
        },
    )


def _state(user, membership) -> str:
    if user.is_verified_teacher:
        return "verified"
    if membership is None:
        return "no_school"
    if membership.school.status == School.Status.DECLINED:
        return "school_declined"
    if membership.school.status == School.Status.PENDING:
        return "school_pending"
    return "request_pending"


@teacher_view(methods=("GET", "POST"))
def register(request):
    form = SchoolRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_register(teacher=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(school)s is registered and you are its school admin. REElearn's editors "
                    "will check it; we show the outcome here."
                )
                % {"school": school.name},
            )
            return redirect("schools:status")
    return render(
        request, "schools/register.html", {"form": form}, status=400 if form.errors else 200
    )


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@teacher_view(methods=("POST",))
def request_join(request):
    form = SchoolChoiceForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, _("Choose a school from the list."))
    school = get_object_or_404(School.objects.approved(), pk=form.cleaned_data["school"])
    try:
        services.membership_request(teacher=request.user, school=school)
    except ValidationError as error:
        return _bad_request(request, _error_text(error))
    messages.success(
        request,
        _("Request sent. %(school)s's school admins will approve it.") % {"school": school.name},
    )
    return redirect("schools:status")


@teacher_view(methods=("POST",))
def leave(request):
    try:
        services.membership_leave(teacher=request.user)
    except ValidationError as error:
        return _bad_request(request, _error_text(error))
    messages.success(request, _("You have left the school. You can join another one now."))
    return redirect("schools:status")


def _bad_request(request, message: str, *, template="schools/problem.html", **context):
    return render(request, template, {"message": message, **context}, status=400)


def _sign_up_url(next_url: str) -> str | None:
    try:
        return reverse("accounts:sign-up") + "?" + urlencode({"next": next_url})
    except NoReverseMatch:  # pragma: no cover - sign-up switched off
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def join(request, token):
    """An invitation link. Anyone holding it sees which school it is for; a teacher joins with a
    button (a POST, so that a link pre-fetched by a mail scanner or an <img> joins nobody)."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return _bad_request(request, _error_text(error), title=_("This invitation does not work"))
    here = request.get_full_path()
    if not request.user.is_authenticated:
        return render(
            request,
            "schools/join.html",
            {
                "school": invitation.school,
                "sign_in_url": reverse("accounts:sign-in") + "?" + urlencode({"next": here}),
                "sign_up_url": _sign_up_url(here),
            },
        )
    if not request.user.is_teacher:
        return _forbidden(request, _("Invitations are for teacher accounts."))
    if request.method == "POST":
        try:
            services.invitation_accept(token=token, teacher=request.user)
        except ValidationError as error:
            return _bad_request(
                request, _error_text(error), title=_("This invitation does not work")
            )
        messages.success(
            request,
            _("You are now a verified teacher at %(school)s.") % {"school": invitation.school.name},
        )
        return redirect("schools:status")
    return render(
        request,
        "schools/join.html",
        {"school": invitation.school, "membership": selectors.membership_of(request.user)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def domain_confirm(request, token):
    """The link in the domain proof email. Opening it shows a button; pressing it proves the
    domain (mail scanners open links, they do not press buttons)."""
    try:
        row = services.domain_for_proof(token)
    except ValidationError as error:
        return _bad_request(request, _error_text(error), title=_("This link does not work"))
    if request.method == "POST":
        try:
            row = services.domain_prove(token=token)
        except ValidationError as error:
            return _bad_request(request, _error_text(error), title=_("This link does not work"))
        return render(request, "schools/domain_confirm.html", {"row": row, "done": True})
    return render(request, "schools/domain_confirm.html", {"row": row, "done": row.is_proved})
