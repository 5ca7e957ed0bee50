"""Reads for classroom pages and endpoints: visibility, joins and a fixed number of queries.

Other apps use `assignment_links_for_pupil`, `classes_for_teacher` and `login_cards`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from lessons.i18n import live_translations
from lessons.models import ContentGuidance, LessonPage, ModulePage, ModuleTierPage
from reelearn.core.converters import MAX_ID

from .contributions import assignment_work
from .models import (
    Assignment,
    AssignmentPupil,
    ClassArchive,
    Classroom,
    ClassTeacher,
    LessonProgress,
    Membership,
)

# --- Used by other apps -------------------------------------------------------------------------


def classroom_for(user, class_id) -> Classroom:
    """A class the user can see (else Http404), with their teacher role fetched in the same
    query so that the permission predicates need no further one."""
    qs = Classroom.objects.visible_to(user)
    if user.is_authenticated and user.is_verified_teacher:
        qs = qs.annotate(
            my_role=Subquery(
                ClassTeacher.objects.filter(classroom=OuterRef("pk"), teacher=user).values("role")[
                    :1
                ]
            )
        )
    try:
        classroom = qs.filter(pk=int(class_id)).first()
    except (TypeError, ValueError):
        classroom = None
    if classroom is None:
        raise Http404
    if user.is_authenticated:
        classroom._teacher_roles = {user.pk: getattr(classroom, "my_role", None)}
    return classroom


def classes_for_teacher(*, teacher, include_archived: bool = True) -> QuerySet[Classroom]:
    """The classes a teacher owns or co-teaches, with pupil and assignment counts (one query)."""
    qs = (
        Classroom.objects.filter(class_teachers__teacher=teacher)
        .annotate(
            pupil_count=Count(
                "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True
            ),
            pending_count=Count(
                "memberships",
                filter=Q(memberships__status=Membership.Status.PENDING),
                distinct=True,
            ),
            assignment_count=Count("assignments", distinct=True),
            my_role=F("class_teachers__role"),
        )
        .order_by(F("archived_at").asc(nulls_first=True), "name", "pk")
    )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def assignment_links_for_pupil(
    *, pupil, include_upcoming: bool = False, now: datetime | None = None
) -> QuerySet[AssignmentPupil]:
    """A pupil's assignments that are set, open (or upcoming) and in an active class they are an
    active member of; earliest due first, undated last."""
    if not (pupil.is_authenticated and pupil.is_pupil):
        return AssignmentPupil.objects.none()
    now = now or timezone.now()
    qs = AssignmentPupil.objects.filter(
        pupil=pupil,
        assignment__status=Assignment.Status.ASSIGNED,
        assignment__classroom__archived_at__isnull=True,
        assignment__classroom__memberships__pupil=pupil,
        assignment__classroom__memberships__status=Membership.Status.ACTIVE,
    )
    if not include_upcoming:
        qs = qs.filter(assignment__open_at__lte=now)
    return (
        qs.select_related("assignment", "assignment__classroom", "assignment__page")
        .annotate(effective_due=Coalesce("due_at_override", "assignment__due_at"))
        .order_by(F("effective_due").asc(nulls_last=True), "assignment__open_at", "pk")
    )


@dataclass(frozen=True)
class LoginCard:
    display_name: str
    username: str
    password: str | None  # None when the pupil has changed it, or the card is not this class's
    class_name: str
    join_code: str | None
    sign_in_url: str
    held_elsewhere: bool = False  # the card belongs to the class that made the account
    language: str = settings.LANGUAGE_CODE  # the pupil's: the card is printed in it

    @property
    def qr_url(self) -> str:
        """Where the card's QR code leads: the sign-in page, in the pupil's language."""
        if self.language == settings.LANGUAGE_CODE:
            return self.sign_in_url
        switch = reverse("switch-language", args=[self.language])
        return f"{settings.SITE_URL.rstrip('/')}{switch}?next={reverse('accounts:sign-in')}"


def sign_in_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:sign-in")


def join_url(code: str | None = None) -> str:
    """The full address pupils join at; with a code, the address a QR code leads to (the
    join form is filled in with it)."""
    url = settings.SITE_URL.rstrip("/") + reverse("classroom:join")
    return f"{url}?code={code}" if code else url


def home_class_id_subquery(pupil_ref: str = "pupil") -> Subquery:
    """The class a pupil's login card belongs to: their earliest membership — the class whose
    teacher (or join code) made the account — or, once that class let them go, the next one."""
    return Subquery(
        Membership.objects.filter(pupil=OuterRef(pupil_ref))
        .order_by("joined_at", "pk")
        .values("classroom_id")[:1]
    )


def login_cards(*, classroom: Classroom, pupil_ids=None) -> list[LoginCard]:
    """One card per active pupil of the class (optionally some of them), by name. One query.

    Pending pupils get no card. A pupil whose card belongs to another class (see
    `home_class_id_subquery`) gets a card without a password, marked `held_elsewhere`.
    """
    from reelearn.accounts.cards import card_password

    memberships = (
        Membership.objects.filter(classroom=classroom, status=Membership.Status.ACTIVE)
        .select_related("pupil", "pupil__card_password")
        .annotate(home_class_id=home_class_id_subquery())
        .order_by("pupil__display_name", "pupil__username")
    )
    if pupil_ids is not None:
        memberships = memberships.filter(pupil_id__in=list(pupil_ids))
    url = sign_in_url()
    code = classroom.join_code if classroom.join_code_usable() else None
    cards = []
    for m in memberships:
        ours = m.home_class_id == classroom.pk
        card = getattr(m.pupil, "card_password", None) if ours else None
        cards.append(
            LoginCard(
                display_name=m.pupil.display_name or m.pupil.username,
                username=m.pupil.username,
                password=card_password(m.pupil, card),
                class_name=classroom.name,
                join_code=code,
                sign_in_url=url,
                held_elsewhere=not ours,
                language=m.pupil.language,
            )
        )
    return cards


# --- Lessons inside assignments ---------------------------------------------------------------


def under_assigned_pages(pages, field: str = "page") -> Q:
    """A filter on `field` (a page foreign key) for the assigned pages and their lessons: what
    a class's reports may show of a pupil's lesson progress, which is not kept per class."""
    condition = Q(**{f"{field}_id__in": [p.pk for p in pages]})
    for page in pages:
        condition |= Q(
            **{f"{field}__path__startswith": page.path, f"{field}__depth": page.depth + 1}
        )
    return condition


def lessons_by_assignment_page(pages) -> dict[int, list[LessonPage]]:
    """Live lessons of each assigned page (a module-tier's children, or the lesson itself)."""
    pages = {p.pk: p for p in pages}
    if not pages:
        return {}
    condition = Q()
    for page in pages.values():
        condition |= Q(pk=page.pk) | Q(path__startswith=page.path, depth=page.depth + 1)
    lessons = list(
        LessonPage.objects.live()
        .public()
        .filter(condition)
        .only(
            "title",
            "url_path",
            "path",
            "depth",
            "tier",
            "supervision",
            "duration",
            "translation_key",
        )
        .order_by("path")
    )
    result: dict[int, list[LessonPage]] = {pk: [] for pk in pages}
    for lesson in lessons:
        for pk, page in pages.items():
            if lesson.pk == pk or (
                lesson.path.startswith(page.path) and lesson.depth == page.depth + 1
            ):
                result[pk].append(lesson)
    return result


def content_guidance(*, page) -> list[dict]:
    """For each lesson of a module-tier (or the lesson itself): supervision and guidance notes."""
    lessons = lessons_by_assignment_page([page]).get(page.pk, [])
    notes: dict[int, list[ContentGuidance]] = {}
    for note in ContentGuidance.objects.filter(page__in=[lesson.pk for lesson in lessons]):
        notes.setdefault(note.page_id, []).append(note)
    return [
        {
            "lesson": lesson,
            "supervision": lesson.supervision,
            "supervision_label": lesson.get_supervision_display(),
            "needs_attention": lesson.supervision != LessonPage.Supervision.INDEPENDENT
            or bool(notes.get(lesson.pk)),
            "notes": notes.get(lesson.pk, []),
        }
        for lesson in lessons
    ]


def assignable_choices(*, tier: str | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Options for the assignment form, grouped by module: each live module-tier, then its
    lessons, each saying the other languages it is published in. A fixed number of queries."""
    english = {"locale__language_code": settings.LANGUAGE_CODE}  # a language is chosen apart
    tier_pages = ModuleTierPage.objects.live().public().filter(**english).order_by("path")
    lessons = LessonPage.objects.live().public().filter(**english).order_by("path")
    if tier:
        tier_pages, lessons = tier_pages.filter(tier=tier), lessons.filter(tier=tier)
    modules = {
        m.path: m
        for m in ModulePage.objects.live()
        .public()
        .filter(**english)
        .only("title", "path", "depth", "code")
    }
    fields = ("title", "path", "depth", "tier", "translation_key")
    tier_pages, lessons = list(tier_pages.only(*fields)), list(lessons.only(*fields))
    also_in = _translated_into([*tier_pages, *lessons])
    lessons_by_parent: dict[str, list] = {}
    for lesson in lessons:
        lessons_by_parent.setdefault(lesson.path[: -lesson.steplen], []).append(lesson)
    groups = []
    for tp in tier_pages:
        module = modules.get(tp.path[: -tp.steplen])
        if module is None:
            continue
        options = [
            (
                tp.pk,
                str(
                    _("Whole module: %(title)s (%(tier)s)")
                    % {"title": module.title, "tier": tp.get_tier_display()}
                )
                + also_in.get(tp.translation_key, ""),
            )
        ]
        options += [
            (
                lesson.pk,
                str(_("Lesson: %(title)s") % {"title": lesson.title})
                + also_in.get(lesson.translation_key, ""),
            )
            for lesson in lessons_by_parent.get(tp.path, [])
        ]
        groups.append((f"{module.title} · {tp.get_tier_display()}", options))
    return groups


def _translated_into(pages) -> dict:
    """By translation key, for the pages with live translations: " — also in Burmese, Spanish"."""
    keys = {page.translation_key for page in pages}
    languages: dict = {}
    for key, code in (
        Page.objects.live()
        .filter(translation_key__in=keys)
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .values_list("translation_key", "locale__language_code")
    ):
        languages.setdefault(key, set()).add(code)
    order = [code for code, _name in settings.LANGUAGES]
    return {
        key: str(_(" — also in %(languages)s"))
        % {
            "languages": ", ".join(
                str(get_language_info(code)["name_translated"]) for code in order if code in codes
            )
        }
        for key, codes in languages.items()
    }


# --- Status of one pupil's assignment -----------------------------------------------------------

STATUS_CLASSES = {
    "not_started": "status-none",
    "in_progress": "status-warn",
    "turned_in": "status-ok",
    "returned": "status-ok",
    "missing": "status-bad",
    "late": "status-bad",
}


def link_status(link: AssignmentPupil, due_at, now) -> dict:
    """Text and colour class for a status cell; late and missing are flags on top."""
    late = bool(due_at and (link.turned_in_at > due_at if link.turned_in_at else now > due_at))
    missing = bool(
        due_at
        and now > due_at
        and link.status in (AssignmentPupil.Status.NOT_STARTED, AssignmentPupil.Status.IN_PROGRESS)
    )
    label = AssignmentPupil.Status(link.status).label
    flags = []
    if missing:
        flags.append(str(_("Missing")))
    elif late:
        flags.append(str(_("Late")))
    key = "missing" if missing else link.status
    return {
        "code": link.status,
        "label": label,
        "flags": flags,
        "late": late,
        "missing": missing,
        "css": STATUS_CLASSES[key],
    }


# --- Pupil home -----------------------------------------------------------------------------


@dataclass
class PupilAssignment:
    link: AssignmentPupil
    assignment: Assignment
    due_at: datetime | None
    status: dict
    lessons: list[dict] = field(default_factory=list)
    work: list = field(default_factory=list)  # contributions.WorkItem (quizzes, today)

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson["completed"])

    @property
    def next_lesson(self):
        return next((lesson for lesson in self.lessons if not lesson["completed"]), None)

    @property
    def is_finished(self) -> bool:
        return self.link.status in (
            AssignmentPupil.Status.TURNED_IN,
            AssignmentPupil.Status.RETURNED,
        )

    @property
    def quizzes_done(self) -> int:
        return sum(1 for w in self.work if w.done)

    @property
    def lessons_left(self) -> list[dict]:
        return [lesson for lesson in self.lessons if not lesson["completed"]]

    @property
    def work_left(self) -> list:
        return [w for w in self.work if not w.done]

    @property
    def is_complete(self) -> bool:
        """Every lesson marked done and every quiz submitted: nothing left to do."""
        return not self.lessons_left and not self.work_left

    def work_summary(self) -> dict:
        """What was done, as recorded when the pupil turns the work in."""
        return {
            "lessons_done": self.done_count,
            "lessons_total": len(self.lessons),
            "quizzes_done": self.quizzes_done,
            "quizzes_total": len(self.work),
        }


def _pupil_items(pupil, links: list[AssignmentPupil], now) -> list[PupilAssignment]:
    lessons = lessons_by_assignment_page([link.assignment.page for link in links])
    lesson_ids = {lesson.pk for group in lessons.values() for lesson in group}
    # Lessons are read in the assignment's language where they are translated into it: one
    # query for all of them, and none while every assignment is in English.
    translated = live_translations(
        [lesson for group in lessons.values() for lesson in group],
        {link.assignment.language for link in links},
    )
    progress = (
        {p.page_id: p for p in LessonProgress.objects.filter(pupil=pupil, page_id__in=lesson_ids)}
        if lesson_ids
        else {}
    )
    items = []
    for link in links:
        due = link.due_at_override or link.assignment.due_at
        item = PupilAssignment(
            link=link, assignment=link.assignment, due_at=due, status=link_status(link, due, now)
        )
        for lesson in lessons.get(link.assignment.page_id, []):
            row = progress.get(lesson.pk)
            read = translated.get((lesson.translation_key, link.assignment.language), lesson)
            item.lessons.append(
                {
                    "page": lesson,  # the English lesson, whose progress counts
                    "title": read.title,
                    "url": read.url,
                    "language": settings.LANGUAGE_CODE
                    if read is lesson
                    else link.assignment.language,
                    "opened": bool(row),
                    "completed": bool(row and row.completed_at),
                }
            )
        items.append(item)
    return items


def pupil_home(*, pupil, now: datetime | None = None) -> dict:
    """Everything /my-work/ shows, in a fixed number of queries (plus those of the apps that
    add work to assignments, see `contributions`)."""
    now = now or timezone.now()
    links = list(assignment_links_for_pupil(pupil=pupil, include_upcoming=True, now=now))
    items = _pupil_items(pupil, links, now)
    current = [i for i in items if i.assignment.open_at <= now]
    work = assignment_work(pupil=pupil, links=[i.link for i in current])
    for item in current:
        item.work = work.get(item.link.pk, [])
    todo = [i for i in current if not i.is_finished]
    pending = list(
        Membership.objects.filter(pupil=pupil, status=Membership.Status.PENDING)
        .select_related("classroom")
        .values_list("classroom__name", flat=True)
    )
    return {
        "todo": todo,
        "done": [i for i in current if i.is_finished],
        "upcoming": [i for i in items if i.assignment.open_at > now],
        "next_item": todo[0] if todo else None,
        "pending_classes": pending,
    }


def pupil_assignment(*, pupil, link_id: int, now=None) -> PupilAssignment | None:
    now = now or timezone.now()
    link = assignment_links_for_pupil(pupil=pupil, now=now).filter(pk=link_id).first()
    if link is None:
        return None
    item = _pupil_items(pupil, [link], now)[0]
    item.work = assignment_work(pupil=pupil, links=[link]).get(link.pk, [])
    return item


# --- Teacher dashboard --------------------------------------------------------------------------


def class_dashboard(*, classroom: Classroom, now: datetime | None = None) -> dict:
    """Roster, progress grid (pupils × assignments), groups and recent activity. Fixed queries:
    memberships, teachers, assignments, links, groups (+ their pupils), two activity reads."""
    now = now or timezone.now()
    memberships = list(Membership.objects.filter(classroom=classroom).select_related("pupil"))
    active = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    teachers = list(
        ClassTeacher.objects.filter(classroom=classroom)
        .select_related("teacher")
        .order_by("-role", "added_at")
    )
    assignments = list(
        Assignment.objects.filter(classroom=classroom)
        .select_related("page")
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )
    links = {
        (link.assignment_id, link.pupil_id): link
        for link in AssignmentPupil.objects.filter(assignment__classroom=classroom).only(
            "assignment_id",
            "pupil_id",
            "status",
            "due_at_override",
            "turned_in_at",
            "turned_in_work",
            "extra_time_minutes",
            "extra_attempts",
        )
    }
    by_id = {a.pk: a for a in assignments}
    assigned = [a for a in assignments if a.status == Assignment.Status.ASSIGNED]
    grid = []
    for m in active:
        cells = []
        for a in assigned:
            link = links.get((a.pk, m.pupil_id))
            if link is None:
                cells.append({"assignment": a, "status": None})
                continue
            link.assignment = by_id[a.pk]
            cells.append(
                {
                    "assignment": a,
                    "link": link,
                    "status": link_status(link, link.due_at_override or a.due_at, now),
                }
            )
        grid.append({"pupil": m.pupil, "cells": cells})
    groups = list(classroom.groups.prefetch_related("pupils"))
    return {
        "memberships": active,
        "pending": [m for m in memberships if m.status == Membership.Status.PENDING],
        "teachers": teachers,
        "assignments": assignments,
        "assigned": assigned,
        "drafts": [a for a in assignments if a.status == Assignment.Status.DRAFT],
        "grid": grid,
        "groups": groups,
        "activity": recent_activity(
            classroom=classroom,
            pupil_ids=[m.pupil_id for m in active],
            pages=[a.page for a in assigned],
        ),
    }


def recent_activity(
    *, classroom: Classroom, pupil_ids: list[int], pages, limit: int = 12
) -> list[dict]:
    """The latest turn-ins in this class, and openings/completions by its active pupils of the
    lessons it assigned (`pages`, with their lessons): nothing from their other classes or
    their own reading. Two queries."""
    events = []
    for link in (
        AssignmentPupil.objects.filter(
            assignment__classroom=classroom, pupil_id__in=pupil_ids, turned_in_at__isnull=False
        )
        .select_related("pupil", "assignment")
        .order_by("-turned_in_at")[:limit]
    ):
        events.append(
            {
                "when": link.turned_in_at,
                "pupil": link.pupil,
                "text": _("turned in “%(title)s”") % {"title": link.assignment.title},
            }
        )
    if pupil_ids and pages:
        for row in (
            LessonProgress.objects.filter(under_assigned_pages(pages), pupil_id__in=pupil_ids)
            .select_related("pupil", "page")
            .annotate(last=Coalesce("completed_at", "opened_at"))
            .order_by("-last")[:limit]
        ):
            text = (_("finished “%(title)s”") if row.completed_at else _("opened “%(title)s”")) % {
                "title": row.page.title
            }
            events.append({"when": row.last, "pupil": row.pupil, "text": text})
    events.sort(key=lambda e: e["when"], reverse=True)
    return events[:limit]


def work_archive(*, classroom: Classroom) -> ClassArchive | None:
    """Where an archived class's work went (`services.archive`), if it was moved: one query,
    and none for a class in use."""
    if not classroom.is_archived:
        return None
    return ClassArchive.objects.filter(classroom=classroom).first()


def pupil_in_class(
    *, classroom: Classroom, pupil_id, status: str | None = None
) -> Membership | None:
    """A pupil's membership of the class (of one status if given), with `home_class_id` (the
    class their login card belongs to, see `home_class_id_subquery`)."""
    try:
        pupil_id = int(pupil_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pupil_id <= MAX_ID:
        return None
    qs = Membership.objects.filter(classroom=classroom, pupil_id=pupil_id)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("pupil").annotate(home_class_id=home_class_id_subquery()).first()


def pupil_report(*, classroom: Classroom, pupil, now=None) -> dict:
    """One pupil's page for the teacher: their assignments in this class with lesson progress."""
    now = now or timezone.now()
    links = list(
        AssignmentPupil.objects.filter(
            pupil=pupil,
            assignment__classroom=classroom,
            assignment__status=Assignment.Status.ASSIGNED,
        )
        .select_related("assignment", "assignment__page")
        .order_by(F("assignment__due_at").asc(nulls_last=True), "pk")
    )
    return {
        "items": _pupil_items(pupil, links, now),
        "groups": list(classroom.groups.filter(pupils=pupil)),
    }


def assignment_report(*, assignment: Assignment, now=None) -> list[dict]:
    """Each pupil's status on one assignment, by name."""
    now = now or timezone.now()
    rows = []
    for link in assignment.pupil_links.select_related("pupil").order_by(
        "pupil__display_name", "pupil__username"
    ):
        link.assignment = assignment
        due = link.due_at_override or assignment.due_at
        rows.append(
            {
                "link": link,
                "pupil": link.pupil,
                "due_at": due,
                "status": link_status(link, due, now),
            }
        )
    return rows


# --- School admins ------------------------------------------------------------------------------


def school_classes(*, school) -> QuerySet[ClassTeacher]:
    """The owner links of classes owned by the school's verified teachers, with the class, its
    owner and its pupil count: one query. Other schools' classes never match."""
    from reelearn.schools.models import SchoolMembership

    return (
        ClassTeacher.objects.filter(
            role=ClassTeacher.Role.OWNER,
            teacher__school_membership__school=school,
            teacher__school_membership__status=SchoolMembership.Status.VERIFIED,
        )
        .select_related("classroom", "teacher")
        .annotate(
            pupil_count=Count(
                "classroom__memberships",
                filter=Q(classroom__memberships__status=Membership.Status.ACTIVE),
                distinct=True,
            )
        )
        .order_by(F("classroom__archived_at").asc(nulls_first=True), "classroom__name", "pk")
    )
