"""Pupil pages: /my-work/ (assignments, next step, lesson progress, quizzes) and /join/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from lessons.i18n import source_ref
from lessons.models import LessonPage

from .. import selectors, services
from ..forms import JoinForm, apply_service_errors
from .common import forbidden, role_view


@role_view("pupil")
def my_work(request):
    context = selectors.pupil_home(pupil=request.user)
    return render(request, "classroom/my_work.html", context)


@role_view("pupil")
def my_assignment(request, link_id):
    item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
    if item is None:
        raise Http404
    return render(request, "classroom/my_assignment.html", {"item": item})


@role_view("pupil", methods=("POST",))
def my_assignment_turn_in(request, link_id):
    """Turn in at once when everything is done; else first a page saying what is left, whose
    "Turn in anyway" posts again with confirm=yes (no JavaScript needed)."""
    item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
    if item is None:
        raise Http404
    title = item.assignment.title
    if item.is_finished:
        messages.info(request, _("“%(title)s” is already turned in.") % {"title": title})
        return redirect("classroom:my-work")
    if not item.is_complete and request.POST.get("confirm") != "yes":
        return render(request, "classroom/my_turn_in_confirm.html", {"item": item})
    if services.assignment_pupil_turn_in(link=item.link, work=item.work_summary()):
        if item.is_complete:
            messages.success(request, _("Well done! “%(title)s” is turned in.") % {"title": title})
        else:
            messages.success(
                request,
                _("“%(title)s” is turned in. Your teacher can see what you finished.")
                % {"title": title},
            )
    return redirect("classroom:my-work")


@role_view("pupil", methods=("POST",))
def lesson_done(request, page_id):
    lessons = Page.objects.live().public().type(LessonPage).select_related("locale")
    page = lessons.filter(pk=page_id).first()
    if page is None:
        raise Http404
    page_id, path = source_ref(page)  # a translation counts for the English lesson
    services.lesson_progress_complete(
        pupil=request.user, page_id=page_id, parent_path=path[: -page.steplen]
    )
    messages.success(request, _("“%(title)s” is marked as done.") % {"title": page.title})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "classroom:my-work")


@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    user = request.user
    if user.is_authenticated and not user.is_pupil:
        return forbidden(
            request,
            _("Joining with a class code is for pupils. Teachers make classes from “My classes”."),
        )
    signed_in = user.is_authenticated
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if signed_in:
        form.fields["name"].required = False
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            credential, membership = services.classroom_join(
                code=form.cleaned_data["code"],
                name=form.cleaned_data.get("name", ""),
                request=request,
                pupil=user if signed_in else None,
            )
        except services.JoinLocked as locked:
            form.add_error(
                None,
                _(
                    "Too many wrong class codes from this device. For your safety, joining is "
                    "paused for %(minutes)d minutes. Ask your teacher to check the code."
                )
                % {"minutes": locked.minutes},
            )
            status = 429
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if credential is not None:
                login(request, credential.user, backend="reelearn.accounts.backends.ModelBackend")
            return render(
                request,
                "classroom/join_done.html",
                {
                    "credential": credential,
                    "membership": membership,
                    "classroom": membership.classroom,
                },
                status=201,
            )
    if form.errors and status == 200:
        status = 400
    return render(
        request, "classroom/join.html", {"form": form, "signed_in": signed_in}, status=status
    )
