"""What a pack renders, loaded once, and the hash that names it.

The same loaded objects feed the template and the hash, so a pack's content hash always
describes the content it was built from: page revisions, quizzes, glossary terms, sources,
images, teacher guides (teacher edition), pupils and login cards (class pack), the template
version, the edition and the paper size.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from wagtail.models import Page

from lessons.blocks import cited_source_ids
from lessons.models import (
    CurriculumImage,
    LessonPage,
    ModulePage,
    ModuleTierPage,
    Printable,
    Source,
    TeacherGuide,
    Term,
)
from reelearn.quizzes.models import Choice, Question, Quiz
from reelearn.quizzes.pages import quiz_for_page as live_quiz_for_page

from .models import Pack

# Bump by hand for changes the file digest below cannot see (e.g. in rendering.py).
TEMPLATE_VERSION = "2026-12-06.1"
TEMPLATE_FILES = ("templates/packs", "templates/blocks", "static/css/pack.css")
IMAGE_BLOCKS = ("image", "diagram")
WORKSHEET_BLOCKS = ("activity", "check")


@cache
def template_version() -> str:
    """TEMPLATE_VERSION plus a digest of every template and stylesheet a pack uses, so editing
    a template re-keys (and so rebuilds on demand) every pack without anyone remembering to."""
    digest = hashlib.sha256(TEMPLATE_VERSION.encode())
    for entry in TEMPLATE_FILES:
        root = Path(settings.BASE_DIR) / entry
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return f"{TEMPLATE_VERSION}:{digest.hexdigest()[:16]}"


def _row(obj, exclude: tuple[str, ...] = ()) -> list:
    return [
        str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in exclude
    ]


def _page_fp(page: Page) -> list:
    published = page.last_published_at.isoformat() if page.last_published_at else None
    return [page.pk, page.live_revision_id, published, page.title]


# --- Quizzes ------------------------------------------------------------------------------------


def _quiz_queryset():
    return Quiz.objects.live().prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.filter(retired=False)
            .order_by("sort_order", "pk")
            .select_related("image"),
        ),
        Prefetch("questions__choices", queryset=Choice.objects.order_by("sort_order", "pk")),
    )


def quizzes_for_pages(pages: list[Page]) -> list[Quiz]:
    """Live quizzes attached to these pages, in page order, questions and choices prefetched."""
    order = {p.pk: i for i, p in enumerate(pages)}
    quizzes = list(_quiz_queryset().filter(page_id__in=list(order)))
    return sorted(quizzes, key=lambda q: order[q.page_id])


def quiz_for_page(page: Page) -> Quiz | None:
    """The quizzes app's rule (a lesson's own quiz, else its module-tier's), with questions and
    choices prefetched for the paper sheet."""
    quiz = live_quiz_for_page(page)
    return _quiz_queryset().filter(pk=quiz.pk).first() if quiz is not None else None


def quiz_printing(quiz) -> str:
    """The digest of a quiz as printed: the seed of its paper sheet's orders (with the secret
    key, see Question.paper_options). Both editions of one printing share it; any change to
    the quiz makes a new one."""
    if getattr(quiz, "_printing", None) is None:
        blob = json.dumps(_quiz_fp(quiz), sort_keys=True, default=str, separators=(",", ":"))
        quiz._printing = hashlib.sha256(blob.encode()).hexdigest()
    return quiz._printing


def _quiz_fp(quiz) -> list:
    questions = []
    for question in quiz.questions.all():
        image = question.image
        questions.append(
            [
                _row(question),
                [_row(c) for c in question.choices.all()],
                [image.pk, image.file.name, image.file_hash] if image else None,
            ]
        )
    return [quiz.pk, quiz.live_revision_id, quiz.title, quiz.intro, quiz.shuffle_choices, questions]


# --- Lesson and module-tier packs ---------------------------------------------------------------


@dataclass
class PageContent:
    kind: str
    edition: str
    paper: str
    target_page: Page
    module: ModulePage
    tier_page: ModuleTierPage
    lessons: list[LessonPage]
    terms: list[tuple[Term, str]]
    references: list[dict]
    images: list[CurriculumImage]
    quizzes: list
    language: str
    guides: dict[int, TeacherGuide] = field(default_factory=dict)
    printables: list[Printable] = field(default_factory=list)

    @property
    def tier(self) -> str:
        return self.tier_page.tier

    @property
    def is_teacher(self) -> bool:
        return self.edition == Pack.Edition.TEACHER

    @property
    def target(self) -> str:
        return f"page:{self.target_page.pk}"

    @property
    def ref_numbers(self) -> dict[str, int]:
        return {r["key"]: r["number"] for r in self.references}

    @property
    def pack_page(self) -> Page:
        return self.target_page

    pack_assignment = None

    def variant(self, *, edition: str, paper: str) -> PageContent:
        """The same content for another paper size, or the student edition of a teacher load
        (identical but for the guides), without loading anything again."""
        if edition == Pack.Edition.TEACHER and not self.is_teacher:
            raise ValueError("A student load has no teacher guides to make a teacher edition.")
        guides = self.guides if edition == Pack.Edition.TEACHER else {}
        return replace(self, edition=edition, paper=paper, guides=guides)

    def zipped(self, *, paper: str) -> ZipContent:
        if self.kind != Pack.Kind.MODULE_TIER:
            raise ValueError("Only a module-tier comes as a zip of lesson packs.")
        return ZipContent(module_content=self.variant(edition=Pack.Edition.STUDENT, paper=paper))

    def fingerprint(self) -> dict:
        fp = {
            "pages": [_page_fp(p) for p in (self.module, self.tier_page, *self.lessons)],
            "terms": [[t.slug, t.term, definition] for t, definition in self.terms],
            "sources": [
                [r["key"], r["title"], r["author"], r["year"], r["url"], r["accessed"]]
                for r in self.references
            ],
            "images": [
                [i.pk, i.file.name, i.file_hash, i.title, i.credit, i.licence] for i in self.images
            ],
            "quizzes": [_quiz_fp(q) for q in self.quizzes],
            "printables": [
                _row(p, exclude=() if self.is_teacher else ("answers",)) for p in self.printables
            ],
        }
        if self.is_teacher:
            fp["guides"] = sorted([pk, g.updated_at.isoformat()] for pk, g in self.guides.items())
        return fp


def packable_page(page_id: int) -> Page:
    """A live, public lesson or module-tier page, specific, with its locale (the language of
    a module-tier's pack); else 404 (drafts, restricted, missing and other page types alike)."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No published lesson or module with this id.")
    model = page.specific_class
    if model is None or not issubclass(model, LessonPage | ModuleTierPage):
        raise Http404("Packs are made for lessons and modules only.")
    return model.objects.select_related("locale").get(pk=page.pk)


def page_language(page: Page) -> str:
    """The language a page is written in (its Wagtail locale), else the site's."""
    locale = page.locale if page.locale_id else None
    return locale.language_code if locale is not None else settings.LANGUAGE_CODE


def kind_for_page(page: Page) -> str:
    return Pack.Kind.LESSON if isinstance(page, LessonPage) else Pack.Kind.MODULE_TIER


def _parent_path(page: Page) -> str:
    return page.path[: -page.steplen]


def _block_ids(lessons: list[LessonPage], block_type: str, key: str) -> list[int]:
    ids: dict[int, None] = {}
    for lesson in lessons:
        for item in lesson.body.raw_data:
            if item.get("type") == block_type:
                value = (item.get("value") or {}).get(key)
                if value:
                    ids.setdefault(int(value), None)
    return list(ids)


def _terms(lessons: list[LessonPage], tier: str) -> list[tuple[Term, str]]:
    """The terms the lessons use (keywords and key-term blocks), defined at the tier's level."""
    from django.db.models import Q

    block_ids = _block_ids(lessons, "term", "term")
    terms = (
        Term.objects.filter(Q(lessons__in=[lesson.pk for lesson in lessons]) | Q(pk__in=block_ids))
        .distinct()
        .order_by("term", "pk")
    )
    return [(t, t.definition_for(tier)) for t in terms]


def _references(lessons: list[LessonPage]) -> list[dict]:
    """Every source cited in the pack, numbered in order of first citation."""
    ids: dict[int, None] = {}
    for lesson in lessons:
        for pk in cited_source_ids(lesson.body.raw_data):
            ids.setdefault(pk, None)
    found = Source.objects.in_bulk(list(ids))
    return [
        {
            "number": n,
            "key": s.key,
            "title": s.title,
            "author": s.author,
            "year": s.year,
            "url": s.url,
            "accessed": s.accessed.isoformat() if s.accessed else None,
        }
        for n, s in enumerate((found[i] for i in ids if i in found), start=1)
    ]


def _lessons_for(page: Page, tier_page: ModuleTierPage) -> list[LessonPage]:
    qs = (
        LessonPage.objects.live()
        .public()
        .prefetch_related(
            "misconceptions",
            "content_guidance",
            Prefetch("keywords", queryset=Term.objects.order_by("term", "pk")),
        )
    )
    if isinstance(page, LessonPage):
        return list(qs.filter(pk=page.pk))
    return list(qs.child_of(tier_page).order_by("path"))


def _printables(lessons: list[LessonPage]) -> list[Printable]:
    """The lessons' printable sheets, in lesson order (one query)."""
    order = {lesson.pk: n for n, lesson in enumerate(lessons)}
    found = Printable.objects.filter(page_id__in=list(order))
    return sorted(found, key=lambda p: (order[p.page_id], p.sort_order, p.pk))


def load_page_content(*, page: Page, edition: str, paper: str) -> PageContent:
    """Everything a lesson or module-tier pack shows, in a fixed number of queries."""
    page = page.specific
    kind = kind_for_page(page)
    if kind == Pack.Kind.LESSON:
        tier_page = ModuleTierPage.objects.select_related("locale").get(path=_parent_path(page))
    else:
        tier_page = page
    module = ModulePage.objects.get(path=_parent_path(tier_page))
    lessons = _lessons_for(page, tier_page)
    image_ids = _block_ids(lessons, "image", "image") + _block_ids(lessons, "diagram", "image")
    images = CurriculumImage.objects.in_bulk(image_ids)
    if kind == Pack.Kind.MODULE_TIER:
        quizzes = quizzes_for_pages([tier_page, *lessons])
    else:
        has_slot = any(item.get("type") == "quiz" for item in page.body.raw_data)
        own = quizzes_for_pages([page])
        quizzes = own or ([q] if has_slot and (q := quiz_for_page(page)) else [])
    content = PageContent(
        kind=kind,
        edition=edition,
        paper=paper,
        target_page=page,
        module=module,
        tier_page=tier_page,
        lessons=lessons,
        terms=_terms(lessons, tier_page.tier),
        references=_references(lessons),
        images=[images[i] for i in image_ids if i in images],
        quizzes=quizzes,
        language=page_language(tier_page),
        printables=_printables(lessons),
    )
    if content.is_teacher:
        guide_pages = [tier_page.pk, *(lesson.pk for lesson in lessons)]
        content.guides = {
            g.page_id: g
            for g in TeacherGuide.objects.filter(
                page_id__in=guide_pages, locale_id=tier_page.locale_id
            )
        }
    return content


# --- Module zip ---------------------------------------------------------------------------------


@dataclass
class ZipContent:
    """Every lesson's student pack of a module-tier. Keyed by the module-tier's student content,
    which covers everything any of its lessons renders; the lessons load only to build."""

    module_content: PageContent
    kind: str = Pack.Kind.MODULE_ZIP
    edition: str = Pack.Edition.STUDENT

    @property
    def paper(self) -> str:
        return self.module_content.paper

    @property
    def target(self) -> str:
        return self.module_content.target

    @property
    def tier_page(self) -> ModuleTierPage:
        return self.module_content.tier_page

    @property
    def pack_page(self) -> Page:
        return self.module_content.tier_page

    @property
    def language(self) -> str:
        return self.module_content.language

    pack_assignment = None

    def fingerprint(self) -> dict:
        return self.module_content.fingerprint()

    def parts(self) -> list[PageContent]:
        return [
            load_page_content(page=lesson, edition=Pack.Edition.STUDENT, paper=self.paper)
            for lesson in self.module_content.lessons
        ]


# --- Class pack ---------------------------------------------------------------------------------


@dataclass
class ClassContent:
    assignment: object
    paper: str
    pupils: list
    cards: list
    quiz: object | None
    teachers: list
    language: str
    edition: str = Pack.Edition.TEACHER
    kind: str = Pack.Kind.CLASS

    @property
    def target(self) -> str:
        return f"assignment:{self.assignment.pk}"

    @property
    def classroom(self):
        return self.assignment.classroom

    pack_page = None

    @property
    def pack_assignment(self):
        return self.assignment

    def fingerprint(self) -> dict:
        a = self.assignment
        cards = [
            [
                c.display_name,
                c.username,
                c.class_name,
                c.join_code,
                c.sign_in_url,
                hashlib.sha256((c.password or "").encode()).hexdigest(),
            ]
            for c in self.cards
        ]
        return {
            "assignment": [a.pk, a.title, a.instructions, a.tier, str(a.due_at), a.page_id],
            "classroom": [a.classroom.pk, a.classroom.name, a.classroom.year_group],
            "teachers": [[t.pk, str(t), t.school_name] for t in self.teachers],
            "pupils": [[p.pk, p.display_name, p.username] for p in self.pupils],
            "cards": cards,
            "quiz": _quiz_fp(self.quiz) if self.quiz else None,
        }


def load_class_content(*, assignment, paper: str) -> ClassContent:
    """The class cover, every assigned pupil's login card and the quiz for a named sheet each."""
    from django.contrib.auth import get_user_model

    from reelearn.classroom.models import Membership
    from reelearn.classroom.selectors import login_cards

    user_model = get_user_model()
    classroom = assignment.classroom
    pupil_ids = list(assignment.pupil_links.values_list("pupil_id", flat=True))
    if not pupil_ids:  # not set yet: the class as it is now
        pupil_ids = list(
            Membership.objects.filter(
                classroom=classroom, status=Membership.Status.ACTIVE
            ).values_list("pupil_id", flat=True)
        )
    pupils = list(user_model.objects.filter(pk__in=pupil_ids).order_by("display_name", "username"))
    cards = login_cards(classroom=classroom, pupil_ids=pupil_ids)
    teachers = list(classroom.teachers.order_by("class_teacher_links__role", "pk"))
    page = assignment.page
    quiz = quiz_for_page(page) if page.live else None
    return ClassContent(
        assignment=assignment,
        paper=paper,
        pupils=pupils,
        cards=cards,
        quiz=quiz,
        teachers=teachers,
        language=page_language(page),
    )


# --- Hash ---------------------------------------------------------------------------------------


def content_hash(content) -> str:
    payload = {
        "template": template_version(),
        "kind": content.kind,
        "edition": content.edition,
        "paper": content.paper,
        "target": content.target,
        "language": content.language,
        "content": content.fingerprint(),
    }
    blob = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def load_content(*, kind: str, edition: str, paper: str, page: Page | None = None, assignment=None):
    if kind == Pack.Kind.CLASS:
        return load_class_content(assignment=assignment, paper=paper)
    if kind == Pack.Kind.MODULE_ZIP:
        return load_page_content(page=page, edition=Pack.Edition.STUDENT, paper=paper).zipped(
            paper=paper
        )
    return load_page_content(page=page, edition=edition, paper=paper)


def load_content_for_pack(pack: Pack):
    """Re-read what a pack row stands for; Http404 if its page is no longer published."""
    page = packable_page(pack.page_id) if pack.kind != Pack.Kind.CLASS else None
    return load_content(
        kind=pack.kind,
        edition=pack.edition,
        paper=pack.paper,
        page=page,
        assignment=pack.assignment,
    )
