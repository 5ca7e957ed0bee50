"""Teacher pages for classes: list, create, edit, dashboard, join code, co-teachers, privacy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import reports, selectors, services
from ..forms import (
    ClassroomEditForm,
    ClassroomForm,
    ConfirmEraseForm,
    CoTeacherForm,
    apply_service_errors,
)
from ..models import ClassTeacher
from ..permissions import can_own_classroom
from .common import class_view, role_view


@role_view("teacher")
def class_list(request):
    return render(request, "classroom/class_list.html", reports.teacher_home(teacher=request.user))


@role_view("teacher", methods=("GET", "POST"))
def class_create(request):
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_create(teacher=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Class “%(name)s” created. Now add your pupils.") % {"name": classroom.name},
            )
            return redirect("classroom:pupils-add", class_id=classroom.pk)
    return render(
        request,
        "classroom/class_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@class_view()
def class_dashboard(request, classroom):
    context = reports.class_overview(classroom=classroom)
    return render(
        request,
        "classroom/class_dashboard.html",
        {
            "classroom": classroom,
            "is_owner": can_own_classroom(request.user, classroom),
            "now": timezone.now(),
            "join_url": selectors.join_url(),
            "join_qr_url": selectors.join_url(classroom.join_code),
            "work_archived": selectors.work_archive(classroom=classroom),
            **context,
        },
    )


@class_view(methods=("GET", "POST"))
def class_edit(request, classroom):
    initial = {
        f: getattr(classroom, f)
        for f in ("name", "year_group", "default_tier", "join_enabled", "join_needs_approval")
    }
    form = ClassroomEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.classroom_update(classroom=classroom, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Class settings saved."))
            return redirect("classroom:class-dashboard", class_id=classroom.pk)
    return render(
        request,
        "classroom/class_form.html",
        {"form": form, "classroom": classroom},
        status=400 if form.errors else 200,
    )


@class_view(methods=("POST",))
def class_archive(request, classroom):
    if request.POST.get("action") == "restore":
        services.classroom_unarchive(classroom=classroom)
        messages.success(request, _("Class restored."))
    else:
        services.classroom_archive(classroom=classroom)
        messages.success(
            request,
            _(
                "Class archived. Its work no longer shows on pupils' pages; "
                "you can restore it at any time."
            ),
        )
    return redirect("classroom:class-dashboard", class_id=classroom.pk)


@class_view(methods=("POST",))
def class_join_code(request, classroom):
    if request.POST.get("action") == "disable":
        services.classroom_join_disable(classroom=classroom)
        messages.success(request, _("Joining with the class code is switched off."))
    else:
        services.classroom_join_code_regenerate(classroom=classroom)
        messages.success(
            request,
            _("New class code: %(code)s. The old code no longer works.")
            % {"code": classroom.join_code_display()},
        )
    return redirect("classroom:class-dashboard", class_id=classroom.pk)


@class_view(methods=("GET", "POST"), own=True)
def class_teachers(request, classroom):
    form = CoTeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.classroom_teacher_add(
                classroom=classroom, username_or_email=form.cleaned_data["teacher"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s now co-teaches this class.") % {"name": link.teacher}
            )
            return redirect("classroom:class-teachers", class_id=classroom.pk)
    teachers = (
        ClassTeacher.objects.filter(classroom=classroom)
        .select_related("teacher")
        .order_by("-role", "added_at")
    )
    return render(
        request,
        "classroom/teachers.html",
        {
            "classroom": classroom,
            "form": form,
            "teachers": teachers,
        },
        status=400 if form.errors else 200,
    )


@class_view(methods=("POST",), own=True)
def class_teacher_remove(request, classroom, teacher_id):
    link = get_object_or_404(
        ClassTeacher, classroom=classroom, teacher_id=teacher_id, role=ClassTeacher.Role.CO_TEACHER
    )
    services.classroom_teacher_remove(classroom=classroom, teacher=link.teacher)
    messages.success(
        request, _("%(name)s no longer co-teaches this class.") % {"name": link.teacher}
    )
    return redirect("classroom:class-teachers", class_id=classroom.pk)


@class_view()
def class_export(request, classroom):
    data = services.classroom_export(classroom=classroom)
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@class_view(methods=("GET", "POST"), own=True)
def class_erase(request, classroom):
    form = ConfirmEraseForm(request.POST or None, expected=classroom.name)
    if request.method == "POST" and form.is_valid():
        name = classroom.name
        count = services.classroom_erase(classroom=classroom)
        messages.success(
            request,
            _("Class “%(name)s” and %(count)d pupil accounts were erased.")
            % {"name": name, "count": count},
        )
        return redirect("classroom:class-list")
    return render(
        request,
        "classroom/confirm_erase.html",
        {
            "classroom": classroom,
            "form": form,
            "what": "class",
            "expected": classroom.name,
            "counts": services.classroom_counts(classroom=classroom),
        },
        status=400 if form.errors else 200,
    )
