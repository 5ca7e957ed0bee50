"""A school admin's pages: the school's teachers, invitation links, email domains and classes.

They live in classroom because they show classes; the school rules are reelearn.schools'.
Everything is looked up inside the admin's own school: another school's teacher, invitation or
class is a 404."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reelearn.schools import selectors as school_selectors
from reelearn.schools import services as schools
from reelearn.schools.forms import DomainForm, InvitationForm
from reelearn.schools.models import SchoolInvitation, SchoolMembership

from .. import selectors, services
from ..models import ClassTeacher
from .common import forbidden


def school_admin_view(*, methods=("GET",)):
    def decorate(view):
        @wraps(view)
        @never_cache
        @require_http_methods(list(methods))
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            school = school_selectors.administered_school(request.user)
            if school is None:
                return forbidden(
                    request,
                    _("This page is for the school admins of a school approved on REElearn."),
                )
            return view(request, school, *args, **kwargs)

        return wrapper

    return decorate


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for ms in error.message_dict.values() for m in ms)
    return " ".join(error.messages)


def _dashboard(request, school, *, invitation_form=None, domain_form=None, status=200):
    return render(
        request,
        "classroom/school_admin.html",
        {
            "school": school,
            "members": list(school_selectors.school_members(school)),
            "invitations": list(school_selectors.school_invitations(school)[:20]),
            "domains": list(school_selectors.school_domains(school)),
            "classes": list(selectors.school_classes(school=school)),
            "invitation_form": invitation_form or InvitationForm(),
            "domain_form": domain_form or DomainForm(),
        },
        status=status,
    )


@school_admin_view()
def school_admin(request, school):
    return _dashboard(request, school)


TEACHER_ACTIONS = ("approve", "decline", "remove", "make-admin")


@school_admin_view(methods=("POST",))
def school_teacher(request, school, membership_id, action):
    if action not in TEACHER_ACTIONS:
        raise Http404
    membership = get_object_or_404(
        SchoolMembership.objects.select_related("teacher", "school"),
        pk=membership_id,
        school=school,
    )
    name = membership.teacher
    try:
        if action == "approve" and not membership.is_verified:
            schools.membership_verify(membership=membership, by=request.user)
            done = _("%(name)s is now a verified teacher.")
        elif action == "decline" and not membership.is_verified:
            schools.membership_end(membership=membership, by=request.user)
            done = _("%(name)s's request is declined.")
        elif action == "remove" and membership.is_verified:
            if membership.teacher_id == request.user.pk:
                raise ValidationError(_("You cannot remove yourself: ask another school admin."))
            services.school_member_remove(membership=membership, by=request.user)
            done = _("%(name)s is no longer part of the school and no longer verified.")
        elif action == "make-admin":
            schools.membership_make_admin(membership=membership, by=request.user)
            done = _("%(name)s is now a school admin.")
        else:
            raise ValidationError(_("That does not apply to this teacher."))
    except ValidationError as error:
        messages.error(request, _message(error))
        return _dashboard(request, school, status=400)
    messages.success(request, done % {"name": name})
    return redirect("classroom:school-admin")


@school_admin_view(methods=("POST",))
def school_invitation_create(request, school):
    form = InvitationForm(request.POST)
    if not form.is_valid():  # pragma: no cover - a checkbox cannot be invalid
        return _dashboard(request, school, invitation_form=form, status=400)
    invitation, token = schools.invitation_create(
        school=school, by=request.user, single_use=form.cleaned_data["single_use"]
    )
    link = request.build_absolute_uri(reverse("schools:join", args=[token]))
    return render(
        request,
        "classroom/school_invitation.html",
        {"school": school, "invitation": invitation, "link": link},
        status=201,
    )


@school_admin_view(methods=("POST",))
def school_invitation_revoke(request, school, invitation_id):
    invitation = get_object_or_404(SchoolInvitation, pk=invitation_id, school=school)
    schools.invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("classroom:school-admin")


@school_admin_view(methods=("POST",))
def school_domain_add(request, school):
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            row = schools.domain_add(
                school=school, by=request.user, address=form.cleaned_data["address"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(
                request,
                _(
                    "We emailed a confirmation link to %(address)s. Open it there to prove "
                    "%(domain)s is your school's."
                )
                % {"address": row.proof_address, "domain": row.domain},
            )
            return redirect("classroom:school-admin")
    return _dashboard(request, school, domain_form=form, status=400)


class MoveClassForm(forms.Form):
    teacher = forms.TypedChoiceField(label=gettext_lazy("New owner"), coerce=int)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.teachers = {t.pk: t for t in teachers}
        self.fields["teacher"].choices = [("", "—")] + [
            (t.pk, f"{t} ({t.username})") for t in teachers
        ]


@school_admin_view(methods=("GET", "POST"))
def school_class_move(request, school, class_id):
    link = get_object_or_404(selectors.school_classes(school=school), classroom_id=class_id)
    classroom = link.classroom
    teachers = [
        m.teacher
        for m in school_selectors.school_members(school)
        if m.is_verified and m.teacher_id != link.teacher_id and m.teacher.is_verified_teacher
    ]
    form = MoveClassForm(request.POST or None, teachers=teachers)
    if request.method == "POST" and form.is_valid():
        new_owner = form.teachers[form.cleaned_data["teacher"]]
        try:
            services.classroom_owner_change(classroom=classroom, new_owner=new_owner)
        except ValidationError as error:
            form.add_error("teacher", _message(error))
        else:
            messages.success(
                request,
                _("%(teacher)s now owns “%(name)s”.")
                % {"teacher": new_owner, "name": classroom.name},
            )
            return redirect("classroom:school-admin")
    co_teachers = ClassTeacher.objects.filter(
        classroom=classroom, role=ClassTeacher.Role.CO_TEACHER
    ).select_related("teacher")
    return render(
        request,
        "classroom/school_class_move.html",
        {
            "school": school,
            "classroom": classroom,
            "owner": link.teacher,
            "co_teachers": co_teachers,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
