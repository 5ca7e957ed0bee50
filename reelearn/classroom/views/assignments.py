"""Teacher pages for assignments: create a draft, review content guidance, assign, follow up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lessons.i18n import live_translation
from lessons.models import RoutePage, Tier
from reelearn.core.dbrouter import replica_report

from .. import reports, selectors, services
from ..forms import AdjustForm, AssignmentEditForm, AssignmentForm, apply_service_errors
from ..models import Assignment, AssignmentPupil
from .common import class_view, role_view
from .pupils import _active_pupils


@class_view(methods=("GET", "POST"))
def assignment_create(request, classroom):
    tier = request.GET.get("tier", classroom.default_tier)
    tier = tier if tier in Tier.values or tier == "all" else classroom.default_tier
    form = AssignmentForm(
        request.POST or None,
        initial={"page": request.GET.get("page")},
        page_choices=selectors.assignable_choices(tier=None if tier == "all" else tier),
        groups=list(classroom.groups.all()),
        pupils=_active_pupils(classroom),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                classroom=classroom,
                created_by=request.user,
                page=data["page"],
                title=data["title"],
                instructions=data["instructions"],
                audience=data["audience"],
                group_ids=data["groups"],
                pupil_ids=data["pupils"],
                open_at=data["open_at"],
                due_at=data["due_at"],
                language=data["language"] or None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(
                "classroom:assignment-detail", class_id=classroom.pk, assignment_id=assignment.pk
            )
    return render(
        request,
        "classroom/assignment_form.html",
        {
            "classroom": classroom,
            "form": form,
            "tier": tier,
            "tiers": Tier.choices,
            "has_choices": len(form.fields["page"].choices) > 1,
        },
        status=400 if form.errors else 200,
    )


def _assignment(classroom, assignment_id) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("page"), classroom=classroom, pk=assignment_id
    )


@class_view()
@replica_report
def assignment_detail(request, classroom, assignment_id):
    assignment = _assignment(classroom, assignment_id)
    page = assignment.page.specific
    context = {"classroom": classroom, "assignment": assignment, "page": page}
    if assignment.in_other_language:  # the page as its pupils read it
        context["pupils_page"] = live_translation(page, assignment.language)
    if assignment.status == Assignment.Status.DRAFT:
        context["guidance"] = selectors.content_guidance(page=assignment.page)
        context["audience_groups"] = list(assignment.groups.all())
        context["audience_pupils"] = list(assignment.pupils.all())
    else:
        context.update(reports.assignment_results(assignment=assignment))
    return render(request, "classroom/assignment_detail.html", context)


@class_view(methods=("POST",))
def assignment_assign(request, classroom, assignment_id):
    assignment = _assignment(classroom, assignment_id)
    try:
        count = services.assignment_assign(assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(
            "classroom:assignment-detail", class_id=classroom.pk, assignment_id=assignment.pk
        )
    messages.success(
        request,
        ngettext(
            "“%(title)s” is set for %(count)d pupil.",
            "“%(title)s” is set for %(count)d pupils.",
            count,
        )
        % {"title": assignment.title, "count": count},
    )
    return redirect("classroom:class-dashboard", class_id=classroom.pk)


@class_view(methods=("GET", "POST"))
def assignment_edit(request, classroom, assignment_id):
    assignment = _assignment(classroom, assignment_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.assignment_delete(assignment=assignment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                "classroom:assignment-detail", class_id=classroom.pk, assignment_id=assignment.pk
            )
        messages.success(request, _("Draft deleted."))
        return redirect("classroom:class-dashboard", class_id=classroom.pk)
    initial = {
        "title": assignment.title,
        "instructions": assignment.instructions,
        "open_at": assignment.open_at,
        "due_at": assignment.due_at,
        "language": assignment.language,
    }
    form = AssignmentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "language": form.cleaned_data["language"] or None}
        try:
            services.assignment_update(assignment=assignment, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect(
                "classroom:assignment-detail", class_id=classroom.pk, assignment_id=assignment.pk
            )
    return render(
        request,
        "classroom/assignment_edit.html",
        {
            "classroom": classroom,
            "assignment": assignment,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@class_view(methods=("GET", "POST"))
def assignment_pupil(request, classroom, assignment_id, pupil_id):
    assignment = _assignment(classroom, assignment_id)
    link = get_object_or_404(
        AssignmentPupil.objects.select_related("pupil"), assignment=assignment, pupil_id=pupil_id
    )
    link.assignment = assignment
    if request.method == "POST" and request.POST.get("action") == "return":
        if services.assignment_pupil_return(link=link):
            messages.success(
                request, _("Returned to %(name)s, who can work on it again.") % {"name": link.pupil}
            )
        else:
            messages.error(request, _("Only work that was turned in can be returned."))
        return redirect(
            "classroom:assignment-detail", class_id=classroom.pk, assignment_id=assignment.pk
        )
    form = AdjustForm(
        request.POST or None,
        initial={
            "due_at_override": link.due_at_override,
            "extra_time_minutes": link.extra_time_minutes,
            "extra_attempts": link.extra_attempts,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_pupil_adjust(link=link, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Changes for %(name)s saved.") % {"name": link.pupil})
            return redirect(
                "classroom:assignment-detail", class_id=classroom.pk, assignment_id=assignment.pk
            )
    return render(
        request,
        "classroom/assignment_pupil.html",
        {
            "classroom": classroom,
            "assignment": assignment,
            "link": link,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _route(request) -> RoutePage:
    route_id = request.POST.get("route") or request.GET.get("route") or ""
    route = (
        RoutePage.objects.live().public().filter(pk=route_id).first()
        if route_id.isdigit() and len(route_id) <= 18
        else None
    )
    if route is None:
        raise Http404(_("No published route with this id."))
    return route


@role_view("teacher")
def route_choose_class(request):
    """From a route's page: which class to set it for."""
    route = _route(request)
    classes = list(selectors.classes_for_teacher(teacher=request.user, include_archived=False))
    return render(
        request,
        "classroom/route_assign.html",
        {"route": route, "lessons": route.lessons(), "classes": classes},
    )


@class_view(methods=("POST",))
def route_assign(request, classroom):
    """A route as draft assignments in this class, one per lesson, to review and set."""
    route = _route(request)
    try:
        drafts = services.route_assign_drafts(
            classroom=classroom, created_by=request.user, route=route
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("classroom:class-dashboard", class_id=classroom.pk)
    messages.success(
        request,
        ngettext(
            "%(n)d draft assignment made from “%(route)s”: check its dates, then set it.",
            "%(n)d draft assignments made from “%(route)s”, one per lesson: check their "
            "dates, then set them.",
            len(drafts),
        )
        % {"n": len(drafts), "route": route.title},
    )
    return redirect("classroom:class-dashboard", class_id=classroom.pk)
