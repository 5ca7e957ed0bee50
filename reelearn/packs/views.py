"""Pack pages: status and downloads for a lesson or module, and a class's pack.

Student editions of published pages are public; teacher editions are for teachers and editors
(404 for everyone else, as if absent); class packs for the class's teachers only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reelearn.classroom.models import Assignment

from . import selectors, services
from .content import kind_for_page, packable_page
from .downloads import pack_file_response
from .forms import ClassPackRequestForm, PackRequestForm, parse_variant
from .models import Pack
from .permissions import can_view_class_pack, can_view_edition, can_view_teacher_edition

# The quizzes app's grid where a teacher types in paper quiz marks.
MARKS_ENTRY_URL_NAME = "quizzes:paper-marks"


def _bad_request(request, message: str, field: str):
    return render(
        request, "packs/bad_request.html", {"message": message, "field": field}, status=400
    )


def _page_context(request, page, *, form=None) -> dict:
    slots = selectors.page_pack_slots(page=page, user=request.user)
    return {
        "page": page,
        "slots": slots,
        "form": form,
        "is_module": kind_for_page(page) == Pack.Kind.MODULE_TIER,
        "teacher": can_view_teacher_edition(request.user),
        "in_progress": any(s.in_progress for s in slots),
    }


@never_cache
@require_GET
def page_packs(request, page_id: int):
    """The packs of a lesson or module-tier: up to date, being (re)built, failed or not yet made.

    A slot that had a pack for older content is re-requested here, so "being rebuilt" is true
    even if the publish that changed it has not reached a worker yet.
    """
    page = packable_page(page_id)
    context = _page_context(request, page)
    stale = [s for s in context["slots"] if s.code == "rebuilding"]
    for slot in stale:
        services.pack_request(content=slot.content)
    if stale:
        context = _page_context(request, page)
    return render(request, "packs/page_packs.html", context)


@require_POST
def page_pack_request(request, page_id: int):
    """Prepare (or retry) one pack; back to the status page (POST, redirect, GET)."""
    page = packable_page(page_id)
    if request.POST.get("edition") == Pack.Edition.TEACHER and not can_view_teacher_edition(
        request.user
    ):
        raise Http404
    form = PackRequestForm(request.POST, page_kind=kind_for_page(page))
    if not form.is_valid():
        return render(
            request, "packs/page_packs.html", _page_context(request, page, form=form), status=400
        )
    data = form.cleaned_data
    pack = services.page_pack_request(
        page=page,
        edition=data["edition"],
        paper=data["paper"],
        zipped=data["zipped"],
        retry_failed=True,
    )
    anchor = f"{'zip' if data['zipped'] else pack.edition}-{pack.paper}"
    return HttpResponseRedirect(reverse("packs:page", args=[page.pk]) + f"#pack-{anchor}")


@never_cache
@require_GET
def page_pack_latest(request, page_id: int, variant: str, extension: str):
    """The current pack file straight away when it is built; otherwise it is requested and the
    reader goes to the status page (which offers the previous version meanwhile)."""
    page = packable_page(page_id)
    zipped = extension == "zip"
    parsed = parse_variant(variant.replace("zip-", "student-", 1) if zipped else variant)
    if parsed is None:
        return _bad_request(
            request, _("Unknown edition or paper size: %(v)s.") % {"v": variant}, "edition"
        )
    edition, paper = parsed
    if zipped and (not variant.startswith("zip-") or kind_for_page(page) != Pack.Kind.MODULE_TIER):
        raise Http404
    if not can_view_edition(request.user, edition):
        raise Http404
    pack = services.page_pack_request(page=page, edition=edition, paper=paper, zipped=zipped)
    if pack.is_ready:
        return pack_file_response(pack)
    anchor = f"{'zip' if zipped else edition}-{paper}"
    return HttpResponseRedirect(reverse("packs:page", args=[page.pk]) + f"#pack-{anchor}")


@require_GET
def pack_download(request, pack_id: int):
    """One stored pack by id (current or previous version), after checking the reader."""
    pack = get_object_or_404(
        Pack.objects.visible_to(request.user).select_related("page"),
        pk=pack_id,
        status=Pack.Status.READY,
    )
    return pack_file_response(pack)


# --- Class packs --------------------------------------------------------------------------------


def _assignment_for(request, assignment_id: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("classroom", "page"), pk=assignment_id
    )
    if not can_view_class_pack(request.user, assignment):
        raise Http404
    return assignment


def marks_entry_url(assignment: Assignment, quiz) -> str | None:
    """The quizzes app's grid for typing in paper marks of this assignment, if it exists."""
    if quiz is None:
        return None
    try:
        return reverse(
            MARKS_ENTRY_URL_NAME,
            kwargs={
                "class_id": assignment.classroom_id,
                "quiz_id": quiz.pk,
                "assignment_id": assignment.pk,
            },
        )
    except NoReverseMatch:
        return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def class_pack(request, assignment_id: int):
    """A class's pack for one assignment: cover, login cards, a named quiz sheet per pupil."""
    assignment = _assignment_for(request, assignment_id)
    form = ClassPackRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pack = services.class_pack_request(
            assignment=assignment, paper=form.cleaned_data["paper"], retry_failed=True
        )
        return HttpResponseRedirect(
            reverse("packs:class", args=[assignment.pk]) + f"#pack-class-{pack.paper}"
        )
    slots = selectors.class_pack_slots(assignment=assignment)
    stale = [s for s in slots if s.code == "rebuilding"]
    for slot in stale:  # had a pack for older content: make "being rebuilt" true
        services.pack_request(content=slot.content)
    if stale:
        slots = selectors.class_pack_slots(assignment=assignment)
    return render(
        request,
        "packs/class_pack.html",
        {
            "assignment": assignment,
            "slots": slots,
            "form": form,
            "marks_entry_url": marks_entry_url(assignment, slots[0].content.quiz),
            "in_progress": any(s.in_progress for s in slots),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_GET
def class_pack_latest(request, assignment_id: int, paper: str):
    assignment = _assignment_for(request, assignment_id)
    if paper not in Pack.Paper.values:
        return _bad_request(request, _("Unknown paper size: %(v)s.") % {"v": paper}, "paper")
    pack = services.class_pack_request(assignment=assignment, paper=paper)
    if pack.is_ready:
        return pack_file_response(pack)
    return HttpResponseRedirect(
        reverse("packs:class", args=[assignment.pk]) + f"#pack-class-{paper}"
    )
