"""Assignments: a module at a tier or a single lesson, set for a class, groups or pupils.

Lifecycle: draft → assigned. Assigning creates one AssignmentPupil per pupil in the audience;
pupils who join the class later get whole-class assignments too (see pupils.py).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Page

from lessons.i18n import is_source, published_languages, source_page
from lessons.models import LessonPage, ModulePage, ModuleTierPage, Tier
from reelearn.core.text import text_problem

from ..models import Assignment, AssignmentPupil, Classroom, Group, Membership

logger = logging.getLogger(__name__)
MAX_QUIZ_SETTING_KEYS = 20


def assignable_page(page_or_id, tier: str | None = None):
    """The live, public ModuleTierPage or LessonPage to assign (a ModulePage plus a tier picks
    its tier page). Raises ValidationError on "page" or "tier"."""
    page_id = getattr(page_or_id, "pk", page_or_id)
    page = (
        Page.objects.live().public().filter(pk=page_id).specific().first()
        if page_id not in (None, "")
        else None
    )
    if isinstance(page, ModulePage):
        if tier not in Tier.values:
            raise ValidationError({"tier": [_("Choose the age tier to assign this module at.")]})
        page = ModuleTierPage.objects.child_of(page).live().public().filter(tier=tier).first()
        if page is None:
            raise ValidationError(
                {"tier": [_("This module has no published lessons at that age tier yet.")]}
            )
    if not isinstance(page, ModuleTierPage | LessonPage):
        raise ValidationError(
            {
                "page": [
                    _(
                        "Choose a published module at an age tier, or a published lesson. "
                        "Drafts and unpublished pages cannot be assigned."
                    )
                ]
            }
        )
    if tier and tier != page.tier:
        raise ValidationError({"tier": [_("The chosen page is written for another age tier.")]})
    return page


def _english_page(page, language: str | None) -> tuple:
    """A translation chosen directly is assigned as the English page it translates (every
    assignment, quiz and report points at that one), read in the translation's language
    unless another is asked for. Returns (page, language)."""
    if is_source(page):
        return page, language
    english = source_page(page)
    if english is page or not english.live:
        raise ValidationError(
            {
                "page": [
                    _(
                        "The English original of this page is not published, so it cannot be "
                        "assigned."
                    )
                ]
            }
        )
    return english, language or page.locale.language_code


def _language_name(code: str) -> str:
    return str(get_language_info(code)["name_translated"])


def _check_language(page, language: str | None) -> str:
    """The language pupils read `page` in: English, or one it has a live translation in."""
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages in the list.")]})
    if language == settings.LANGUAGE_CODE:
        return language
    published = published_languages(page)
    if language not in published:
        raise ValidationError(
            {
                "language": [
                    _(
                        "“%(title)s” is not published in %(language)s. Choose a language it is "
                        "published in: %(published)s."
                    )
                    % {
                        "title": page.title,
                        "language": _language_name(language),
                        "published": ", ".join(_language_name(code) for code in published),
                    }
                ]
            }
        )
    return language


def _default_title(page) -> str:
    """The page's title, with the age tier for a whole module unless the title already says it
    (the curriculum's module-tier pages are titled "<module> (Ages 7–11)")."""
    tier = page.get_tier_display() if isinstance(page, ModuleTierPage) else ""
    if tier and tier not in page.title:
        return f"{page.title} ({tier})"[:200]
    return page.title[:200]


# A school year's dates, with room to spare: a year like 0001 or 9999 is a typing slip (and
# before 1847 the local time zone's offsets are not whole minutes).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2200


def _check_year(name: str, value) -> None:
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            {
                name: [
                    _("Choose a date between the years %(first)d and %(last)d.")
                    % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
                ]
            }
        )


def _check_dates(open_at, due_at) -> None:
    _check_year("open_at", open_at)
    _check_year("due_at", due_at)
    if due_at is not None and open_at is not None and due_at <= open_at:
        raise ValidationError({"due_at": [_("The due date must be after the open date.")]})


def _audience(classroom: Classroom, audience: str, group_ids, pupil_ids):
    if audience not in Assignment.Audience.values:
        raise ValidationError({"audience": [_("Choose who the assignment is for.")]})
    groups, pupils = [], []
    if audience == Assignment.Audience.GROUPS:
        ids = {int(i) for i in group_ids or []}
        groups = list(Group.objects.filter(classroom=classroom, pk__in=ids))
        if not ids or len(groups) != len(ids):
            raise ValidationError({"groups": [_("Choose at least one group of this class.")]})
    if audience == Assignment.Audience.PUPILS:
        ids = {int(i) for i in pupil_ids or []}
        pupils = list(
            Membership.objects.filter(
                classroom=classroom, pupil_id__in=ids, status=Membership.Status.ACTIVE
            ).values_list("pupil_id", flat=True)
        )
        if not ids or len(pupils) != len(ids):
            raise ValidationError({"pupils": [_("Choose at least one pupil of this class.")]})
    return groups, pupils


def _clean_text(title: str, instructions: str) -> tuple[str, str]:
    title, instructions = (title or "").strip(), (instructions or "").strip()
    if len(title) > 200:
        raise ValidationError({"title": [_("A title can be at most 200 characters long.")]})
    if len(instructions) > 5000:
        raise ValidationError(
            {"instructions": [_("Instructions can be at most 5,000 characters long.")]}
        )
    for field, value in (("title", title), ("instructions", instructions)):
        if problem := text_problem(value):
            raise ValidationError({field: [problem]})
    return title, instructions


@transaction.atomic
def _json_text_problem(value) -> str | None:
    """What stops any text inside a JSON value from being stored (NUL, a lone surrogate)."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((p for v in value if (p := _json_text_problem(v))), None)
    return None


def _check_quiz_settings(quiz_settings) -> None:
    """A small object of valid text; its keys and values are checked when they are read (a
    bad value is ignored there, key by key), so a stored mistake never locks pupils out."""
    if quiz_settings is None:
        return
    if not isinstance(quiz_settings, dict) or len(quiz_settings) > MAX_QUIZ_SETTING_KEYS:
        raise ValidationError({"quiz_settings": [_("Quiz settings must be a small object.")]})
    if problem := _json_text_problem(quiz_settings):
        raise ValidationError({"quiz_settings": [problem]})


def assignment_create(
    *,
    classroom: Classroom,
    created_by,
    page,
    tier: str | None = None,
    title: str = "",
    instructions: str = "",
    audience: str = Assignment.Audience.CLASS,
    group_ids=(),
    pupil_ids=(),
    open_at=None,
    due_at=None,
    quiz_settings: dict | None = None,
    language: str | None = None,
) -> Assignment:
    """A draft assignment. Nothing is set for pupils until `assignment_assign`.

    Pupils read it in `language` (default English; a translation chosen as `page`: its
    language), which the page must be published in."""
    if classroom.is_archived:
        raise ValidationError({"classroom": [_("This class is archived: restore it first.")]})
    page, language = _english_page(assignable_page(page, tier), language)
    language = _check_language(page, language)
    title, instructions = _clean_text(title, instructions)
    open_at = open_at or timezone.now()
    _check_dates(open_at, due_at)
    groups, pupils = _audience(classroom, audience, group_ids, pupil_ids)
    _check_quiz_settings(quiz_settings)
    assignment = Assignment.objects.create(
        classroom=classroom,
        page=page,
        tier=page.tier,
        language=language,
        title=title or _default_title(page),
        instructions=instructions,
        audience=audience,
        open_at=open_at,
        due_at=due_at,
        quiz_settings=quiz_settings or {},
        created_by=created_by,
    )
    assignment.groups.set(groups)
    assignment.pupils.set(pupils)
    return assignment


@transaction.atomic
@transaction.atomic
def route_assign_drafts(*, classroom: Classroom, created_by, route) -> list[Assignment]:
    """A route through a tier (lessons.RoutePage), set as draft assignments, one per lesson in
    the route's order, titled "<route>: <lesson>": the teacher reviews dates and pupils, then
    sets each (or deletes the ones they skip). Lessons no longer live are left out."""
    lessons = route.lessons()
    if not lessons:
        raise ValidationError({"page": [_("This route has no published lessons.")]})
    return [
        assignment_create(
            classroom=classroom,
            created_by=created_by,
            page=lesson,
            title=f"{route.title}: {n}. {lesson.title}"[:200],
        )
        for n, lesson in enumerate(lessons, start=1)
    ]


def assignment_update(
    *,
    assignment: Assignment,
    title: str | None = None,
    instructions: str | None = None,
    open_at=None,
    due_at=...,
    audience: str | None = None,
    group_ids=None,
    pupil_ids=None,
    language: str | None = None,
) -> Assignment:
    """Change an assignment. Who it is for can change only while it is a draft."""
    if language is not None:
        assignment.language = _check_language(assignment.page, language)
    if title is not None or instructions is not None:
        new_title, new_instructions = _clean_text(
            assignment.title if title is None else title,
            assignment.instructions if instructions is None else instructions,
        )
        assignment.title = new_title or assignment.title
        assignment.instructions = new_instructions
    if open_at is not None:
        assignment.open_at = open_at
    if due_at is not ...:
        assignment.due_at = due_at
    _check_dates(assignment.open_at, assignment.due_at)
    if audience is not None or group_ids is not None or pupil_ids is not None:
        if assignment.status != Assignment.Status.DRAFT:
            raise ValidationError(
                {"audience": [_("Who the assignment is for cannot change once it is assigned.")]}
            )
        audience = audience or assignment.audience
        groups, pupils = _audience(assignment.classroom, audience, group_ids, pupil_ids)
        assignment.audience = audience
        assignment.groups.set(groups)
        assignment.pupils.set(pupils)
    assignment.save()
    return assignment


def _audience_pupil_ids(assignment: Assignment) -> list[int]:
    members = Membership.objects.filter(
        classroom=assignment.classroom, status=Membership.Status.ACTIVE
    )
    if assignment.audience == Assignment.Audience.GROUPS:
        members = members.filter(pupil__class_groups__in=assignment.groups.all())
    elif assignment.audience == Assignment.Audience.PUPILS:
        members = members.filter(pupil__in=assignment.pupils.all())
    return sorted(set(members.values_list("pupil_id", flat=True)))


@transaction.atomic
def assignment_assign(*, assignment: Assignment) -> int:
    """draft → assigned: one AssignmentPupil per pupil in the audience. Returns how many.

    The page must still be live and published. Assigning twice changes nothing.
    """
    assignable_page(assignment.page_id, assignment.tier)
    claimed = Assignment.objects.filter(pk=assignment.pk, status=Assignment.Status.DRAFT).update(
        status=Assignment.Status.ASSIGNED, assigned_at=timezone.now()
    )
    if not claimed:
        return 0
    assignment.refresh_from_db(fields=["status", "assigned_at"])
    pupil_ids = _audience_pupil_ids(assignment)
    AssignmentPupil.objects.bulk_create(
        [AssignmentPupil(assignment=assignment, pupil_id=pid) for pid in pupil_ids],
        ignore_conflicts=True,
    )
    Classroom.objects.filter(pk=assignment.classroom_id).update(last_activity_at=timezone.now())
    logger.info("assignment %s assigned to %d pupils", assignment.pk, len(pupil_ids))
    return len(pupil_ids)


def assignment_delete(*, assignment: Assignment) -> None:
    """Only drafts can be deleted: once assigned, pupils' work hangs on it."""
    if assignment.status != Assignment.Status.DRAFT:
        raise ValidationError({"status": [_("Only draft assignments can be deleted.")]})
    assignment.delete()


def assignment_pupil_adjust(
    *,
    link: AssignmentPupil,
    due_at_override=...,
    extra_time_minutes: int | None = None,
    extra_attempts: int | None = None,
) -> AssignmentPupil:
    """Per-pupil adjustments: a due-date extension, extra quiz time or attempts."""
    fields = []
    if due_at_override is not ...:
        _check_year("due_at_override", due_at_override)
        if due_at_override is not None and due_at_override <= link.assignment.open_at:
            raise ValidationError(
                {"due_at_override": [_("The extended due date must be after the open date.")]}
            )
        link.due_at_override = due_at_override
        fields.append("due_at_override")
    for name, value, top in (
        ("extra_time_minutes", extra_time_minutes, 600),
        ("extra_attempts", extra_attempts, 20),
    ):
        if value is None:
            continue
        if not 0 <= int(value) <= top:
            raise ValidationError({name: [_("Choose a number from 0 to %(top)d.") % {"top": top}]})
        setattr(link, name, int(value))
        fields.append(name)
    if fields:
        link.save(update_fields=fields)
    return link
