"""Which quiz belongs to which page, the one rule: a page has its own live quiz, or else a
lesson shows its module-tier's (its parent's); an assignment of a page covers the quizzes in
its subtree and, through that rule, its parent's."""

from __future__ import annotations

from django.db.models import F, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from lessons.i18n import source_page
from lessons.models import TIER_SLUGS, Tier
from reelearn.classroom.models import Assignment, AssignmentPupil, Membership

from .models import Quiz

STEP = Page.steplen


def parent_path(path: str) -> str:
    return path[:-STEP]


def shown_quiz_paths(path: str) -> list[str]:
    """The pages whose quiz a page shows, nearest first: its own, then its parent's."""
    return [path, parent_path(path)] if len(path) > STEP else [path]


def quiz_for_page(page, *, queryset=None) -> Quiz | None:
    """The live quiz attached to this lesson, else to its module-tier parent (one query).
    `queryset` adds to the query (annotations, say)."""
    quizzes = queryset if queryset is not None else Quiz.objects.all()
    page = source_page(page)  # a translated lesson shows its English page's quiz
    return (
        quizzes.live()
        .filter(page__path__in=shown_quiz_paths(page.path))
        .order_by("-page__depth")
        .first()
    )


def quizzes_for_pages(pages, *, with_totals: bool = True) -> dict[int, list[Quiz]]:
    """Live quizzes covered by each assigned page, in tree order (one query for all pages).

    A page covers the quizzes in its subtree; a page without its own quiz also covers its
    parent's (a lesson shows its module-tier's quiz), matching `quiz_for_page`.
    """
    paths = {p.pk: p.path for p in pages}
    if not paths:
        return {}
    condition = Q()
    for path in set(paths.values()):
        condition |= Q(page__path__startswith=path) | Q(page__path=parent_path(path))
    quizzes = Quiz.objects.live().filter(condition).annotate(page_path=F("page__path"))
    if with_totals:  # the point totals cost a join with every question
        quizzes = quizzes.annotate(
            total_points=Sum("questions__points", filter=Q(questions__retired=False))
        )
    quizzes = list(quizzes.order_by("page__path", "pk"))
    covered = {}
    for page_id, path in paths.items():
        mine = [q for q in quizzes if q.page_path.startswith(path)]
        if not any(q.page_path == path for q in mine):
            mine = [q for q in quizzes if q.page_path == parent_path(path)] + mine
        covered[page_id] = mine
    return covered


def link_covers_quiz(link: AssignmentPupil, quiz: Quiz) -> bool:
    """An assignment covers the quizzes in its page's subtree, and a lesson's module-tier quiz
    when the lesson has none of its own (the same rule as quizzes_for_pages).

    `link` and `quiz` may carry `page_path` (annotated); else their pages are read.
    """
    page_path = getattr(link, "page_path", None) or link.assignment.page.path
    quiz_path = getattr(quiz, "page_path", None) or quiz.page.path
    if quiz_path.startswith(page_path):
        return True
    return (
        quiz_path == parent_path(page_path)
        and not Quiz.objects.live().filter(page__path=page_path).exists()
    )


def pupil_links_for_quiz(
    *, pupil, quiz: Quiz, now=None, upcoming: bool = False
) -> list[AssignmentPupil]:
    """The pupil's open assignments that include this quiz, soonest due first (with
    ``upcoming``, also those assigned but not open yet)."""
    now = now or timezone.now()
    links = AssignmentPupil.objects.filter(
        pupil=pupil,
        assignment__status=Assignment.Status.ASSIGNED,
        assignment__classroom__memberships__pupil=pupil,
        assignment__classroom__memberships__status=Membership.Status.ACTIVE,
    )
    if not upcoming:
        links = links.filter(assignment__open_at__lte=now)
    links = list(links.select_related("assignment__page"))
    covered = quizzes_for_pages({link.assignment.page for link in links}, with_totals=False)
    links = [
        link
        for link in links
        if quiz.pk in {q.pk for q in covered.get(link.assignment.page_id, [])}
    ]
    far = timezone.now() + timezone.timedelta(days=36500)
    return sorted(links, key=lambda link: (link.due_at or far, -link.pk))


def quiz_ages(quiz: Quiz) -> str:
    """The age range a quiz is written for ("Ages 7–11"), read from its page's address (the
    page loaded with the quiz, so no query); "" when the page is at no tier."""
    segments = set(quiz.page.url_path.split("/"))
    return next((str(Tier(t).label) for t, slug in TIER_SLUGS.items() if {slug, t} & segments), "")


def quiz_name(quiz: Quiz) -> str:
    """A quiz's title with its age range, so two tiers' quizzes of one title differ in page
    titles: "Meet the family quiz (Ages 7–11)"."""
    ages = quiz_ages(quiz)
    return f"{quiz.title} ({ages})" if ages else quiz.title
