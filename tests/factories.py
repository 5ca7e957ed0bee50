"""Shared factories: users of each role and a small curriculum tree.

App-specific factories live beside their tests (tests/<app>/factories.py).
"""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from lessons.models import (
    ContentGuidance,
    CurriculumIndexPage,
    HomePage,
    LessonMisconception,
    LessonPage,
    ModulePage,
    ModuleTierPage,
    Source,
    TeacherGuide,
    Term,
)

User = get_user_model()
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    role = User.Role.TEACHER
    # Teachers in tests are verified by their school unless a test says otherwise.
    verified_at = factory.LazyAttribute(
        lambda user: timezone.now() if user.role == User.Role.TEACHER else None
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    email = factory.Sequence(lambda n: f"teacher{n}@school.example")
    school_name = "Riverside School"
    role = User.Role.TEACHER


class PupilFactory(UserFactory):
    username = factory.Sequence(lambda n: f"pupil{n}")
    display_name = factory.Sequence(lambda n: f"Pupil {n}.")
    role = User.Role.PUPIL
    email = ""


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.Sequence(lambda n: f"editor{n}@reelearn.example")
    role = User.Role.EDITOR
    is_staff = True
    is_superuser = True


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"S{n + 100}")
    title = factory.Sequence(lambda n: f"Report number {n}")
    author = "U.S. Geological Survey"
    year = 2025
    url = "https://example.org/report"
    accessed = datetime.date(2026, 11, 1)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    slug = factory.Sequence(lambda n: f"term-{n}")
    term = factory.Sequence(lambda n: f"Term {n}")
    simple = factory.LazyAttribute(lambda o: f"Simple words for {o.term}.")
    full = factory.LazyAttribute(lambda o: f"The full definition of {o.term}.")


def make_home() -> HomePage:
    """A HomePage as the default site's root, replacing Wagtail's welcome page."""
    existing = HomePage.objects.first()
    if existing:
        return existing
    # Transactional tests (live_server) flush the rows Wagtail's data migrations made.
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="REElearn", slug="reelearn-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "REElearn"},
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


def fact(statement: str, sources: list[Source], figure: str = "", unit: str = "") -> tuple:
    return (
        "fact",
        {
            "statement": statement,
            "figure": figure,
            "unit": unit,
            "sources": list(sources),
            "reviewed": datetime.date(2026, 11, 1),
        },
    )


def lesson_body(sources: list[Source], terms: list[Term], n_facts: int = 3) -> list:
    body = [("text", "<p>Rare earth elements are a family of metals.</p>")]
    for i in range(n_facts):
        body.append(fact(f"Fact number {i} about rare earths.", sources, f"{i + 1}0", "tonnes"))
    for term in terms:
        body.append(("term", {"term": term}))
    body.append(
        (
            "chart",
            {
                "title": "Mine production",
                "kind": "bar",
                "unit": "kt",
                "label": "Country",
                "summary": "China mined the most.",
                "rows": [{"label": "China", "value": "270"}, {"label": "Burma", "value": "31"}],
                "sources": [sources[0]],
            },
        )
    )
    body.append(("check", {"questions": ["Name two rare earth elements."]}))
    body.append(("quiz", {"heading": "Quiz"}))
    return body


def make_curriculum(
    *,
    tiers=("t1", "t3"),
    lessons_per_tier: int = 2,
    n_sources: int = 3,
    n_terms: int = 3,
    code: str = "m1",
    index: CurriculumIndexPage | None = None,
):
    """index → module → one ModuleTierPage per tier → lessons, with guides; all published."""
    home = make_home()
    if index is None:
        index = CurriculumIndexPage.objects.first() or home.add_child(
            instance=CurriculumIndexPage(title="Curriculum", slug="curriculum")
        )
    sources = [SourceFactory() for _ in range(n_sources)]
    terms = [TermFactory() for _ in range(n_terms)]
    module = index.add_child(
        instance=ModulePage(
            title=f"What are rare earth elements? ({code})",
            slug=f"module-{code}",
            code=code,
            strand="science",
            summary="Meet the family of 17 metals.",
            sdgs=[12],
        )
    )
    tier_pages, lessons = {}, {}
    for tier in tiers:
        tier_page = module.add_child(
            instance=ModuleTierPage(
                title=f"{module.title} {tier}", slug=f"{tier}", tier=tier, summary="At this age."
            )
        )
        tier_page.save_revision().publish()
        TeacherGuide.objects.create(page=tier_page, overview="<p>MODULE-GUIDE-SECRET</p>")
        tier_pages[tier] = tier_page
        for n in range(lessons_per_tier):
            lesson = LessonPage(
                title=f"Lesson {n + 1} ({tier})",
                slug=f"lesson-{n + 1}",
                outcome="I can name two rare earth elements.",
                key_points=[
                    ("point", "They are metals."),
                    ("point", "There are 17."),
                    ("point", "They are spread thinly."),
                ],
                body=lesson_body(sources, terms),
                duration=45,
            )
            tier_page.add_child(instance=lesson)
            lesson.keywords.set(terms)
            LessonMisconception.objects.create(
                page=lesson, claim="Rare means none exists.", response="They are spread thinly."
            )
            ContentGuidance.objects.create(
                page=lesson, kind="environmental_harm", note="Mentions polluted rivers."
            )
            lesson.save_revision().publish()
            TeacherGuide.objects.create(
                page=lesson, answers=f"<p>TEACHER-GUIDE-SECRET answers for {lesson.title}</p>"
            )
            lessons.setdefault(tier, []).append(LessonPage.objects.get(pk=lesson.pk))
    module.save_revision().publish()
    return {
        "home": home,
        "index": index,
        "module": module,
        "tier_pages": tier_pages,
        "lessons": lessons,
        "sources": sources,
        "terms": terms,
    }


def translate_page(page: Page, language: str) -> Page:
    """A draft translation of `page` into `language`, with translations of its ancestors where
    missing (a module's copy gets a code of its own: module codes are unique)."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    for ancestor in page.get_ancestors().filter(depth__gte=2).specific():
        if ancestor.get_translations(inclusive=True).filter(locale=locale).exists():
            continue
        if isinstance(ancestor, ModulePage):
            ancestor.copy(
                to=ancestor.get_parent().get_translation(locale),
                update_attrs={"locale": locale, "code": f"{ancestor.code}-{language}"},
                reset_translation_key=False,
                copy_revisions=False,
                keep_live=False,
            )
        else:
            ancestor.copy_for_translation(locale)
    return page.copy_for_translation(locale)
