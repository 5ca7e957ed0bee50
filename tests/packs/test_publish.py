"""Publishing anything a pack shows rebuilds it on commit, without anyone asking; the previous
version is served meanwhile and older ones are pruned."""

from __future__ import annotations

import pytest

from lessons.models import LessonPage, Source, TeacherGuide, Term
from reelearn.packs.models import Pack
from reelearn.quizzes.models import Quiz

from ..factories import translate_page
from .helpers import build, has, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db


def publish_title(lesson, title: str) -> None:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = title
    lesson.save_revision().publish()


def ready(**slot) -> list[Pack]:
    return list(Pack.objects.filter(status=Pack.Status.READY, **slot).order_by("built_at"))


def test_publishing_a_lesson_rebuilds_the_packs_that_use_it(
    tier_page, lesson, django_capture_on_commit_callbacks
):
    module_pack = build(
        django_capture_on_commit_callbacks, page=tier_page, edition="teacher", paper="a4"
    )
    lesson_pack = build(
        django_capture_on_commit_callbacks, page=lesson, edition="student", paper="letter"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_title(lesson, "Magnets everywhere")
    new_module = Pack.objects.get(
        kind="module_tier", edition="teacher", status="ready", built_at__gt=module_pack.built_at
    )
    new_lesson = Pack.objects.get(kind="lesson", status="ready", built_at__gt=lesson_pack.built_at)
    assert has(pdf_text(new_module), "Magnets everywhere")
    assert has(pdf_text(new_lesson), "Magnets everywhere")
    assert (new_lesson.edition, new_lesson.paper) == ("student", "letter")
    # The previous versions are kept until a newer one replaces them.
    assert Pack.objects.filter(pk__in=[module_pack.pk, lesson_pack.pk], status="ready").count() == 2


def test_nothing_is_queued_before_commit_or_for_unrelated_pages(
    tier_page, curriculum, django_capture_on_commit_callbacks
):
    build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")
    other = LessonPage.objects.get(pk=curriculum["lessons"]["t3"][0].pk)
    with django_capture_on_commit_callbacks(execute=True):
        publish_title(other, "Another tier's lesson")
    assert Pack.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_title(LessonPage.objects.get(pk=curriculum["lessons"]["t1"][0].pk), "Later")
    assert Pack.objects.count() == 1  # still waiting for the commit
    assert len(callbacks) == 1


def test_old_versions_are_pruned_and_the_previous_one_kept(
    tier_page, lesson, django_capture_on_commit_callbacks
):
    first = build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")
    storage, first_name = first.file.storage, first.file.name
    for title in ("Second title", "Third title"):
        with django_capture_on_commit_callbacks(execute=True):
            publish_title(lesson, title)
    packs = ready(kind="module_tier")
    assert len(packs) == 2
    assert first.pk not in [p.pk for p in packs]
    assert not storage.exists(first_name)
    assert all(storage.exists(p.file.name) for p in packs)
    assert has(pdf_text(packs[-1]), "Third title")
    assert has(pdf_text(packs[0]), "Second title")


@pytest.mark.parametrize("change", ["term", "source", "guide", "quiz"])
def test_terms_sources_guides_and_quizzes_rebuild_too(
    tier_page, curriculum, lesson, django_capture_on_commit_callbacks, change
):
    first = build(django_capture_on_commit_callbacks, page=tier_page, edition="teacher", paper="a4")
    with django_capture_on_commit_callbacks(execute=True):
        if change == "term":
            term = Term.objects.get(pk=curriculum["terms"][0].pk)
            term.simple = "CHANGEDTERM words."
            term.save()
            expected = "CHANGEDTERM"
        elif change == "source":
            source = Source.objects.get(pk=curriculum["sources"][0].pk)
            source.title = "CHANGEDSOURCE report"
            source.save()
            expected = "CHANGEDSOURCE"
        elif change == "guide":
            guide = TeacherGuide.objects.get(page=lesson)
            guide.answers = "<p>CHANGEDGUIDE answers</p>"
            guide.save()
            expected = "CHANGEDGUIDE"
        else:
            quiz = Quiz.objects.get(page=tier_page)
            quiz.title = "CHANGEDQUIZ title"
            quiz.save_revision().publish()
            expected = "CHANGEDQUIZ"
    newest = ready(kind="module_tier", edition="teacher")[-1]
    assert newest.pk != first.pk
    assert has(pdf_text(newest), expected)


def test_unpublishing_a_lesson_rebuilds_the_module_without_it(
    tier_page, other_lesson, django_capture_on_commit_callbacks
):
    build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")
    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=other_lesson.pk).unpublish()
    newest = ready(kind="module_tier")[-1]
    assert not has(pdf_text(newest), "Lesson 2 (t1)")


def test_publishing_builds_the_student_pack_in_each_language_before_anyone_asks(
    tier_page, lesson, settings, client, django_capture_on_commit_callbacks
):
    settings.PACKS_BUILD_ON_PUBLISH = True
    burmese_lesson = translate_page(lesson, "my")
    with django_capture_on_commit_callbacks(execute=True):
        burmese_lesson.get_parent().specific.save_revision().publish()
        burmese_lesson.save_revision().publish()
        publish_title(lesson, "Ready before the first click")
    packs = {pack.page_id: pack for pack in ready(kind="module_tier")}
    burmese_tier = burmese_lesson.get_parent()
    assert set(packs) == {tier_page.pk, burmese_tier.pk}  # one per language, nothing else
    assert {(p.edition, p.paper) for p in packs.values()} == {("student", "a4")}
    assert has(pdf_text(packs[tier_page.pk]), "Ready before the first click")
    # A visitor's first click: the stored file at once, and nothing built or queued for it.
    response = client.get(f"/packs/page/{tier_page.pk}/student-a4.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes(packs[tier_page.pk])
    assert Pack.objects.count() == 2


def test_without_build_on_publish_only_packs_already_made_are_rebuilt(
    tier_page, lesson, settings, django_capture_on_commit_callbacks
):
    settings.PACKS_BUILD_ON_PUBLISH = False
    with django_capture_on_commit_callbacks(execute=True):
        publish_title(lesson, "Nobody asked")
    assert not Pack.objects.exists()
