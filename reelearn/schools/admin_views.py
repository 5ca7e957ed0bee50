"""REElearn's editors decide on new schools, inside the Wagtail admin (see wagtail_hooks)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .models import School, SchoolMembership


def can_approve_schools(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or user.has_perm("schools.approve_school"))
    )


def approver_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_approve_schools(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET"])
@approver_only
def index(request):
    decided = (
        School.objects.exclude(status=School.Status.PENDING)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")[:20]
    )
    return TemplateResponse(
        request,
        "schools/admin/index.html",
        {
            "page_title": _("Schools"),
            "header_icon": "group",
            "pending": selectors.pending_schools(),
            "decided": decided,
        },
    )


@require_http_methods(["GET"])
@approver_only
def detail(request, school_id):
    school = get_object_or_404(School.objects.select_related("requested_by"), pk=school_id)
    return TemplateResponse(
        request,
        "schools/admin/detail.html",
        {
            "page_title": school.name,
            "header_icon": "group",
            "school": school,
            "members": selectors.school_members(school),
        },
    )


@require_POST
@approver_only
def decide(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    action = request.POST.get("action")
    if action == "approve" and school.status != School.Status.APPROVED:
        services.school_approve(school=school, by=request.user)
        messages.success(
            request, _("%(school)s is approved; its admin is now verified.") % {"school": school}
        )
    elif action == "decline" and school.status == School.Status.PENDING:
        services.school_decline(school=school, by=request.user)
        messages.success(request, _("%(school)s is declined.") % {"school": school})
    else:
        messages.error(request, _("Nothing changed: the school was already decided."))
    return redirect("schools_admin:index")


@require_POST
@approver_only
def member_make_admin(request, school_id, membership_id):
    """For a school without an admin (one moved over from the old school field): editors verify
    one of its teachers as its admin, who then verifies the others."""
    membership = get_object_or_404(
        SchoolMembership.objects.select_related("teacher", "school"),
        pk=membership_id,
        school_id=school_id,
    )
    services.membership_verify(membership=membership, by=request.user, make_admin=True)
    messages.success(
        request,
        _("%(name)s is verified as a school admin of %(school)s.")
        % {"name": membership.teacher, "school": membership.school},
    )
    return redirect("schools_admin:detail", school_id=school_id)
