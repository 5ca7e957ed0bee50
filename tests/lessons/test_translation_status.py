"""The translation status report (Reports → Translations): up to date, out of date with what
changed, missing; syncing from it; a constant number of queries."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from celery.signals import task_prerun
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from lessons.models import LessonPage, TeacherGuide
from lessons.translation_reviews import reviewer_group_name
from tests.factories import EditorFactory, make_curriculum, translate_page

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/translation-status/"


def translate(obj, language: str, capture):
    """Translate `obj` (a page or snippet) with wagtail-localize and publish it, as the
    "Translate" action does; a page's missing ancestors are copied first."""
    locale = Locale.objects.get(language_code=language)
    if (
        isinstance(obj, LessonPage)
        and not obj.get_parent().get_translations().filter(locale=locale).exists()
    ):
        # Published, so that /<language>/ serves this tree (else it serves the English one).
        parent = translate_page(obj.get_parent(), language)
        for page in [*parent.get_ancestors().filter(depth__gte=2).specific(), parent.specific]:
            if not page.live:
                page.save_revision().publish()
    source, _ = TranslationSource.get_or_create_from_instance(obj)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    with capture(execute=True):
        translation.save_target(publish=True)
    return obj.get_translation(locale)


def change_outcome(lesson: LessonPage, outcome: str) -> None:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.outcome = outcome
    lesson.save_revision().publish()


def report(client, **params):
    response = client.get(REPORT, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def row_of(soup, title: str):
    link = soup.find("a", string=title)
    assert link is not None, f"no row for {title}"
    return link.find_parent("tr")


def status(row, language: str) -> str:
    return row.find("td", attrs={"data-language": language})["data-status"]


def test_a_translation_goes_out_of_date_shows_what_changed_and_syncs(
    client, editor, curriculum, django_capture_on_commit_callbacks
):
    lesson = curriculum["lessons"]["t1"][0]
    burmese = translate(lesson, "my", django_capture_on_commit_callbacks)
    client.force_login(editor)

    row = row_of(report(client), lesson.title)
    assert status(row, "my") == "up_to_date"
    assert status(row, "es") == "missing"
    assert row.find("a", string="Sync translations") is None

    change_outcome(lesson, "I can name three rare earth elements.")
    row = row_of(report(client, language="my"), lesson.title)
    assert status(row, "my") == "out_of_date"
    assert row.find("td", attrs={"data-language": "es"}) is None  # one language's column
    changes = row.find("details", class_="changes")
    assert changes.find("del").get_text() == "I can name two rare earth elements."
    assert changes.find("ins").get_text() == "I can name three rare earth elements."
    assert "Pupil outcome" in changes.get_text()
    sync = row.find("a", string="Sync translations")["href"]
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    assert sync.startswith(reverse("wagtail_localize:update_translations", args=[source.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync, {"publish_translations": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(REPORT)

    row = row_of(report(client), lesson.title)
    assert status(row, "my") == "up_to_date"
    assert row.find("details", class_="changes") is None
    # Published in Burmese: the new English string stands in until it is translated.
    page = client.get(burmese.url)
    assert "I can name three rare earth elements." in page.content.decode()


def test_a_sync_without_publishing_leaves_the_translation_out_of_date(
    client, editor, curriculum, django_capture_on_commit_callbacks
):
    lesson = curriculum["lessons"]["t1"][0]
    translate(lesson, "my", django_capture_on_commit_callbacks)
    change_outcome(lesson, "I can explain where rare earths are mined.")
    client.force_login(editor)
    sync = row_of(report(client), lesson.title).find("a", string="Sync translations")["href"]

    client.post(sync, {})

    row = row_of(report(client), lesson.title)
    assert status(row, "my") == "out_of_date"
    assert "not been saved with the new English" in row.get_text()
    assert row.find("details", class_="changes") is None  # the source has the English now


def test_a_teacher_guide_is_reported_under_its_page(
    client, editor, curriculum, django_capture_on_commit_callbacks
):
    lesson = curriculum["lessons"]["t1"][0]
    guide = TeacherGuide.objects.get(page=lesson)
    translate(guide, "es", django_capture_on_commit_callbacks)
    guide.tips = "<p>Start with a magnet.</p>"
    guide.save()
    client.force_login(editor)

    row = row_of(report(client), str(guide))
    assert "attached" in row["class"]
    assert status(row, "es") == "out_of_date"
    assert status(row, "my") == "missing"
    assert "Start with a magnet." in row.find("details", class_="changes").get_text()


def test_the_module_filter_keeps_its_pages(client, editor, curriculum):
    other = make_curriculum(code="m2", tiers=("t2",), lessons_per_tier=1)
    client.force_login(editor)

    soup = report(client, module=other["module"].pk)

    titles = [row.find("a").get_text() for row in soup.select("tbody tr")]
    assert other["module"].title in titles
    assert curriculum["module"].title not in titles
    assert curriculum["lessons"]["t1"][0].title not in titles


def test_the_listing_costs_the_same_queries_for_one_page_or_many(
    client, editor, curriculum, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    small = make_curriculum(code="m2", tiers=("t2",), lessons_per_tier=1)
    for lesson in [
        *small["lessons"]["t2"],
        *curriculum["lessons"]["t1"],
        *curriculum["lessons"]["t3"],
    ]:
        translate(lesson, "my", django_capture_on_commit_callbacks)
        change_outcome(lesson, f"Changed outcome for {lesson.title}.")
    client.force_login(editor)
    report(client, module=small["module"].pk)  # warm per-process caches (content types)

    with CaptureQueriesContext(connection) as one:
        soup = report(client, module=small["module"].pk)
    assert len(soup.select('td[data-status="out_of_date"]')) == 1

    with django_assert_max_num_queries(len(one.captured_queries)):
        soup = report(client, module=curriculum["module"].pk)
    assert len(soup.select('td[data-status="out_of_date"]')) == 4


def test_translators_and_editors_see_the_report_in_the_reports_menu(client, curriculum):
    reviewer = EditorFactory(username="burmese", is_superuser=False)
    reviewer.groups.add(Group.objects.get(name=reviewer_group_name("my")))
    client.force_login(reviewer)

    response = client.get("/admin/")

    assert REPORT in response.content.decode()
    assert client.get(REPORT).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "pupil", "teacher"])
def test_pupils_teachers_and_visitors_never_see_the_report(client, curriculum, pupil, teacher, who):
    if who != "anonymous":
        client.force_login({"pupil": pupil, "teacher": teacher}[who])

    response = client.get(REPORT)

    assert response.status_code in (302, 403)
    assert curriculum["lessons"]["t1"][0].title not in response.content.decode()


def test_translating_a_module_tier_with_its_lessons_runs_on_celery_and_shows_in_the_report(
    client, editor, curriculum, django_capture_on_commit_callbacks
):
    """wagtail-localize queues a subtree's translation as a background job: ours runs it on
    Celery (eager in tests) after the request's transaction commits."""
    tier = curriculum["tier_pages"]["t1"]
    translate_page(curriculum["module"], "es")  # the tier's parent, in Spanish
    spanish = Locale.objects.get(language_code="es")
    client.force_login(editor)

    ran = []

    def record(sender=None, task=None, args=(), **kwargs):
        ran.append((task.name, args[0] if args else None))

    task_prerun.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("wagtail_localize:submit_page_translation", args=[tier.pk]),
                {"locales": [spanish.pk], "include_subtree": "on"},
            )
    finally:
        task_prerun.disconnect(record)
    assert response.status_code == 302
    assert (
        "reelearn.core.localize_jobs.run_localize_job",
        "wagtail_localize.operations:translate_page_subtree",
    ) in ran

    for lesson in curriculum["lessons"]["t1"]:
        assert lesson.get_translation(spanish).title == lesson.title
        assert status(row_of(report(client, language="es"), lesson.title), "es") == "up_to_date"
