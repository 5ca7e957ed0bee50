"""Reads for the curriculum pages: a fixed number of queries whatever the content size."""

from __future__ import annotations

from .blocks import facts_needing_review
from .cache import VersionedMemo, restricted_page_ids
from .i18n import source_page
from .models import (
    TIER_SLUGS,
    LessonPage,
    ModulePage,
    ModuleTierPage,
    Strand,
    TeacherGuide,
    Tier,
)


def public(pages):
    """`pages.public()`, without its query of every view restriction while there are none."""
    return pages.public() if restricted_page_ids() else pages


def curriculum_browse(index_page, params) -> dict:
    """Modules under the index, filtered by strand, tier and topic (GET parameters)."""
    strand = params.get("strand") if params.get("strand") in Strand.values else ""
    tier = params.get("tier") if params.get("tier") in Tier.values else ""
    topic = (params.get("topic") or "").strip()[:50]
    modules = (
        public(ModulePage.objects.child_of(index_page).live())
        .select_related("hero_image")
        .prefetch_related("topics")
        .order_by("code")
    )
    if strand:
        modules = modules.filter(strand=strand)
    if topic:
        modules = modules.filter(topics__slug=topic)
    modules = list(modules)
    tier_pages = public(ModuleTierPage.objects.live().descendant_of(index_page)).order_by("tier")
    if tier:
        tier_pages = tier_pages.filter(tier=tier)
    tiers_by_module: dict[str, list] = {}
    for tp in tier_pages.only("title", "url_path", "path", "depth", "tier"):
        tiers_by_module.setdefault(tp.path[: -tp.steplen], []).append(tp)
    for module in modules:
        module.tier_pages = tiers_by_module.get(module.path, [])
    if tier:
        modules = [m for m in modules if m.tier_pages]
    return {
        "modules": modules,
        "strands": Strand.choices,
        "tiers": Tier.choices,
        "selected": {"strand": strand, "tier": tier, "topic": topic},
        "modules_by_strand": [
            (value, label, [m for m in modules if m.strand == value])
            for value, label in Strand.choices
        ],
    }


def lesson_shared_context(page: LessonPage) -> dict:
    """What every reader of a lesson sees around its body: its module, tier and neighbours, key
    words, references and mix-ups. Nothing here may depend on who reads it: it is rendered
    once and shared (lessons.fragments)."""
    parent_path = page.path[: -page.steplen]
    tier_page = ModuleTierPage.objects.get(path=parent_path)
    module = ModulePage.objects.get(path=parent_path[: -page.steplen])
    lessons = list(
        public(LessonPage.objects.descendant_of(module).live())
        .only("title", "slug", "url_path", "path", "depth", "tier")
        .order_by("path")
    )
    siblings = [lesson for lesson in lessons if lesson.path.startswith(parent_path)]
    index = next((i for i, s in enumerate(siblings) if s.pk == page.pk), 0)
    other_tiers = []
    for tp in public(ModuleTierPage.objects.child_of(module).live()).order_by("tier"):
        if tp.pk == tier_page.pk:
            continue
        in_tier = [lesson for lesson in lessons if lesson.path.startswith(tp.path)]
        match = next((lesson for lesson in in_tier if lesson.slug == page.slug), None)
        if match is None and index < len(in_tier):
            match = in_tier[index]
        other_tiers.append((tp, match))
    refs = page.references
    return {
        "tier_page": tier_page,
        "module": module,
        "siblings": siblings,
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
        "other_tiers": other_tiers,
        "terms": [(t, t.definition_for(page.tier)) for t in page.keywords.all()],
        "references": refs,
        "ref_numbers": {r["key"]: r["number"] for r in refs},
        "misconceptions": list(page.misconceptions.all()),
        "tier_slug": TIER_SLUGS.get(page.tier, ""),
    }


def lesson_context(page: LessonPage, request) -> dict:
    """What only this reader sees: the teacher panel's notes (teachers and editors), and the
    facts due for review (editors)."""
    user = request.user
    teacher = bool(user.is_authenticated and user.can_see_teacher_material)
    context = {"is_teacher": teacher}
    if teacher:
        if getattr(request, "is_preview", False) or not page.pk:
            context.update(_teacher_notes(page))
        else:
            context.update(_notes.get(page.pk, lambda version: _teacher_notes(page)))
    if user.is_authenticated and user.is_editor:
        context["stale_facts"] = facts_needing_review(page.body.raw_data)
    return context


# The teacher panel's notes on each page, for teachers only: kept apart from the shared parts
# (lessons.fragments), per content version, in each process.
_notes = VersionedMemo(size=300)


def _teacher_notes(page: LessonPage) -> dict:
    return {
        "content_guidance": list(page.content_guidance.all()),
        "has_guide": bool(page.pk) and TeacherGuide.objects.filter(page=source_page(page)).exists(),
    }
