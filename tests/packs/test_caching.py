"""A pack is keyed by a hash of everything it renders; asking again returns the stored one."""

from __future__ import annotations

import pytest

from lessons.models import LessonPage, Source, TeacherGuide, Term
from reelearn.packs import services
from reelearn.packs.content import content_hash, load_page_content
from reelearn.packs.models import Pack
from reelearn.quizzes.models import Question

from .helpers import build

# What is stored and when, not what it says: PDFs shared (tests/packs/shared_renders.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_pdfs")]


def digest(page, edition="student", paper="a4") -> str:
    return content_hash(load_page_content(page=page, edition=edition, paper=paper))


def test_asking_again_returns_the_stored_pack_at_once(
    tier_page, django_capture_on_commit_callbacks
):
    first = build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")
    with django_capture_on_commit_callbacks() as callbacks:
        again = services.page_pack_request(page=tier_page, edition="student", paper="a4")
    assert again.pk == first.pk and again.is_ready
    assert callbacks == []  # nothing queued
    assert Pack.objects.count() == 1 and again.attempts == 1


def test_the_hash_is_stable_and_covers_edition_and_paper(tier_page):
    assert digest(tier_page) == digest(tier_page)
    assert (
        len({digest(tier_page, e, p) for e in ("student", "teacher") for p in ("a4", "letter")})
        == 4
    )


def test_publishing_a_lesson_changes_its_packs_but_a_draft_does_not(tier_page, lesson):
    before, lesson_before = digest(tier_page), digest(lesson)
    lesson.title = "Draft title"
    lesson.save_revision()  # a draft: not published, not in any pack
    assert digest(tier_page) == before
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = "Published title"
    lesson.save_revision().publish()
    assert digest(tier_page) != before
    assert digest(lesson) != lesson_before


def test_a_lesson_elsewhere_does_not_change_the_pack(tier_page, curriculum):
    before = digest(tier_page)
    elsewhere = LessonPage.objects.get(pk=curriculum["lessons"]["t3"][0].pk)
    elsewhere.title = "Another tier"
    elsewhere.save_revision().publish()
    assert digest(tier_page) == before


def test_glossary_terms_and_sources_are_in_the_hash(tier_page, curriculum):
    before = digest(tier_page)
    term = Term.objects.get(pk=curriculum["terms"][0].pk)
    term.simple = "New simple words."
    term.save()
    after_term = digest(tier_page)
    assert after_term != before
    term.full = "Only older pupils read this."  # t1 shows the simple definition
    term.save()
    assert digest(tier_page) == after_term
    source = Source.objects.get(pk=curriculum["sources"][0].pk)
    source.title = "A renamed report"
    source.save()
    assert digest(tier_page) != after_term


def test_teacher_guides_change_the_teacher_edition_only(tier_page, lesson):
    student, teacher = digest(tier_page), digest(tier_page, "teacher")
    guide = TeacherGuide.objects.get(page=lesson)
    guide.answers = "<p>Better answers.</p>"
    guide.save()
    assert digest(tier_page) == student
    assert digest(tier_page, "teacher") != teacher


def test_quiz_changes_are_in_the_hash(tier_page):
    before = digest(tier_page)
    question = Question.objects.filter(quiz__page=tier_page).first()
    question.prompt = "<p>A better question?</p>"
    question.save()
    assert digest(tier_page) != before


def test_a_student_variant_of_a_teacher_load_hashes_like_a_student_load(tier_page):
    teacher = load_page_content(page=tier_page, edition="teacher", paper="a4")
    assert content_hash(teacher.variant(edition="student", paper="letter")) == digest(
        tier_page, "student", "letter"
    )
