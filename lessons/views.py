from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from reelearn.core.text import text_problem

from .i18n import guide_for
from .models import LessonPage, SituationNote, Strand, Term, Tier
from .permissions import can_view_teacher_material
from .search import search_lessons


def render_teacher_guide(request, page):
    """The teacher guide of a lesson or module-tier; 404 for everyone else, as if absent.

    Signed out, anyone is sent to sign in and back (a teacher following a guide link from an
    email, say), whether or not the page has a guide, so the redirect tells nothing.
    """
    if not request.user.is_authenticated:
        request._dont_cache_page = True
        return redirect_to_login(request.get_full_path())
    if not can_view_teacher_material(request.user):
        raise Http404
    guide = guide_for(page)
    if guide is None:
        raise Http404
    request._dont_cache_page = True
    printables = list(page.printables.exclude(answers="")) if hasattr(page, "printables") else []
    return render(
        request,
        "lessons/teacher_guide.html",
        {
            "page": page,
            "guide": guide,
            "self": page,
            "printables": printables,
        },
    )


def render_printable(request, page, key: str):
    """One printable sheet of a lesson: what pupils get (never the answers)."""
    printable = page.printables.filter(key=key).first()
    if printable is None:
        raise Http404
    return render(
        request,
        "lessons/printable.html",
        {"page": page, "self": page, "printable": printable},
    )


@require_GET
def situation_note(request, slug: str):
    note = get_object_or_404(SituationNote, slug=slug)
    lessons = LessonPage.objects.live().public().filter(situation_note=note).order_by("path")
    return render(request, "lessons/situation_note.html", {"note": note, "lessons": lessons})


@require_GET
def glossary(request):
    level = request.GET.get("tier") if request.GET.get("tier") in Tier.values else "t1"
    terms = [(t, t.definition_for(level)) for t in Term.objects.order_by("term")]
    return render(
        request,
        "lessons/glossary.html",
        {
            "terms": terms,
            "tiers": Tier.choices,
            "tier": level,
        },
    )


@require_GET
def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    tier = request.GET.get("tier") if request.GET.get("tier") in Tier.values else ""
    strand = request.GET.get("strand") if request.GET.get("strand") in Strand.values else ""
    results = None
    error = text_problem(query)  # a NUL would fail in the database (once a misleading 503)
    if error:
        query = ""
    elif query:
        lessons = LessonPage.objects.live().public()
        if tier:
            lessons = lessons.filter(tier=tier)
        if strand:
            lessons = lessons.filter(strand=strand)
        found = search_lessons(lessons, query, request.LANGUAGE_CODE)
        results = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "lessons/search.html",
        {
            "query": query,
            "results": results,
            "tier": tier,
            "strand": strand,
            "tiers": Tier.choices,
            "strands": Strand.choices,
            "error": error,
        },
        status=400 if error else 200,
    )
