"""Teacher pages for pupils, login cards and groups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reelearn.accounts import lockout
from reelearn.core.converters import parse_id

from .. import selectors, services
from ..forms import BulkPupilsForm, ConfirmEraseForm, GroupForm, apply_service_errors
from ..models import Group, Membership
from ..permissions import can_manage_pupil_card
from .common import class_view, forbidden

CARD_ELSEWHERE = gettext_lazy(
    "This pupil's login card belongs to the class that made their "
    "account: ask its teacher for a new password."
)


def _member(classroom, pupil_id, *, status: str | None = Membership.Status.ACTIVE) -> Membership:
    """An active pupil of the class by default: a pending one is only a name to approve or
    refuse (`pupil_approve`, `pupil_erase`), nothing else."""
    membership = selectors.pupil_in_class(classroom=classroom, pupil_id=pupil_id, status=status)
    if membership is None:
        raise Http404
    return membership


@class_view(methods=("GET", "POST"))
def pupils_add(request, classroom):
    form = BulkPupilsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials = services.pupils_create(
                classroom=classroom, names=services.names_from_text(form.cleaned_data["names"])
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d pupil added.", "%(count)d pupils added.", len(credentials))
                % {"count": len(credentials)},
            )
            return render(
                request,
                "classroom/pupils_added.html",
                {
                    "classroom": classroom,
                    "credentials": credentials,
                    "pupil_ids": ",".join(str(c.user.pk) for c in credentials),
                },
                status=201,
            )
    return render(
        request,
        "classroom/pupils_add.html",
        {"classroom": classroom, "form": form},
        status=400 if form.errors else 200,
    )


@class_view()
def pupil_detail(request, classroom, pupil_id):
    membership = _member(classroom, pupil_id)
    return render(
        request,
        "classroom/pupil_detail.html",
        {
            "classroom": classroom,
            "membership": membership,
            "pupil": membership.pupil,
            "can_manage_card": can_manage_pupil_card(request.user, classroom, membership),
            "locked_out": lockout.is_locked_out(username=membership.pupil.username),
            **selectors.pupil_report(classroom=classroom, pupil=membership.pupil),
        },
    )


@class_view(methods=("POST",))
def pupil_reset_password(request, classroom, pupil_id):
    membership = _member(classroom, pupil_id)
    if not can_manage_pupil_card(request.user, classroom, membership):
        return forbidden(request, CARD_ELSEWHERE)
    services.pupil_password_reset(pupil=membership.pupil)
    messages.success(
        request,
        _(
            "New password made for %(name)s: print the new login card. "
            "The old password no longer works."
        )
        % {"name": membership.pupil.display_name},
    )
    return redirect(f"{_cards_url(classroom)}?pupil={membership.pupil_id}")


@class_view(methods=("POST",))
def pupil_unlock(request, classroom, pupil_id):
    """After too many wrong passwords: the pupil may try again at once, from anywhere."""
    membership = _member(classroom, pupil_id)
    lockout.unlock(username=membership.pupil.username)
    messages.success(
        request,
        _("%(name)s can sign in again.") % {"name": membership.pupil.display_name},
    )
    return redirect("classroom:pupil-detail", class_id=classroom.pk, pupil_id=membership.pupil_id)


def _cards_url(classroom) -> str:
    return reverse("classroom:login-cards", kwargs={"class_id": classroom.pk})


@class_view(methods=("POST",))
def pupil_approve(request, classroom, pupil_id):
    membership = _member(classroom, pupil_id, status=None)  # approving twice changes nothing
    services.membership_approve(membership=membership)
    messages.success(
        request,
        _("%(name)s can now see this class's work.") % {"name": membership.pupil.display_name},
    )
    return redirect("classroom:class-dashboard", class_id=classroom.pk)


@class_view(methods=("GET", "POST"))
def pupil_erase(request, classroom, pupil_id):
    membership = _member(classroom, pupil_id, status=None)
    pupil = membership.pupil
    expected = pupil.display_name or pupil.username
    form = ConfirmEraseForm(request.POST or None, expected=expected)
    if request.method == "POST" and form.is_valid():
        deleted = services.pupil_erase(classroom=classroom, pupil=pupil)
        messages.success(
            request,
            (
                _("%(name)s and all their work were erased.")
                if deleted
                else _(
                    "%(name)s was removed from this class with their work in it; they stay in "
                    "another class."
                )
            )
            % {"name": expected},
        )
        return redirect("classroom:class-dashboard", class_id=classroom.pk)
    return render(
        request,
        "classroom/confirm_erase.html",
        {
            "classroom": classroom,
            "form": form,
            "what": "pupil",
            "pupil": pupil,
            "expected": expected,
        },
        status=400 if form.errors else 200,
    )


@class_view()
def login_cards(request, classroom):
    raw = request.GET.get("pupil", "")
    ids = [i for i in (parse_id(x) for x in raw.split(",")[:500]) if i] if raw else None
    cards = selectors.login_cards(classroom=classroom, pupil_ids=ids)
    return render(
        request,
        "classroom/login_cards.html",
        {
            "classroom": classroom,
            "cards": cards,
            "join_code": classroom.join_code_display() if classroom.join_code_usable() else "",
            "join_url": selectors.join_url(),
            "join_qr_url": selectors.join_url(classroom.join_code),
            "filtered": ids is not None,
        },
    )


@class_view(methods=("GET", "POST"))
def groups(request, classroom):
    members = _active_pupils(classroom)
    form = GroupForm(request.POST or None, pupils=members)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                classroom=classroom,
                name=form.cleaned_data["name"],
                pupil_ids=form.cleaned_data["pupils"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
            return redirect("classroom:groups", class_id=classroom.pk)
    return render(
        request,
        "classroom/groups.html",
        {
            "classroom": classroom,
            "form": form,
            "groups": classroom.groups.prefetch_related("pupils"),
        },
        status=400 if form.errors else 200,
    )


def _active_pupils(classroom) -> list:
    return [
        m.pupil
        for m in Membership.objects.filter(
            classroom=classroom, status=Membership.Status.ACTIVE
        ).select_related("pupil")
    ]


@class_view(methods=("GET", "POST"))
def group_edit(request, classroom, group_id):
    group = get_object_or_404(Group, classroom=classroom, pk=group_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.group_delete(group=group)
        messages.success(
            request,
            _("Group “%(name)s” deleted. Its pupils stay in the class.") % {"name": group.name},
        )
        return redirect("classroom:groups", class_id=classroom.pk)
    initial = {"name": group.name, "pupils": [p.pk for p in group.pupils.all()]}
    form = GroupForm(request.POST or None, initial=initial, pupils=_active_pupils(classroom))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=group, name=form.cleaned_data["name"], pupil_ids=form.cleaned_data["pupils"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Group saved."))
            return redirect("classroom:groups", class_id=classroom.pk)
    return render(
        request,
        "classroom/group_form.html",
        {
            "classroom": classroom,
            "group": group,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
