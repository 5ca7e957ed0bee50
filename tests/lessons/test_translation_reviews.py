"""Translation reviewers: a group per language, approving a translation, and the "draft
translation" notice readers see until a reviewer of its language approves it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry

from lessons.models import LessonPage, TeacherGuide, TranslationReview
from lessons.translation_reviews import APPROVED_ACTION, reviewer_group_name
from tests.factories import EditorFactory, PupilFactory

from .test_translation_status import REPORT, change_outcome, report, row_of, translate

pytestmark = pytest.mark.django_db

NOTICE = 'class="translation-notice" role="note"'


def reviewer(language: str, username: str):
    user = EditorFactory(username=username, is_superuser=False)
    user.groups.add(Group.objects.get(name=reviewer_group_name(language)))
    return user


def approve_url(page) -> str:
    return reverse("lessons_translation_approve", args=["wagtailcore", "page", page.pk])


@pytest.fixture
def burmese_lesson(curriculum, django_capture_on_commit_callbacks):
    return translate(curriculum["lessons"]["t1"][0], "my", django_capture_on_commit_callbacks)


def test_every_translated_language_has_a_reviewer_group_that_may_approve_and_translate():
    for language, name in [("my", "Burmese"), ("es", "Spanish"), ("zh-hans", "Simplified Chinese")]:
        group = Group.objects.get(name=f"Translation reviewers: {name}")
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert {"access_admin", "submit_translation", "change_term", "change_teacherguide"} <= (
            codenames
        )
        assert "review_" + language.replace("-", "_") in codenames
    assert not Group.objects.filter(name="Translation reviewers: English").exists()


def test_reviewers_edit_their_language_s_pages_and_not_the_english(client, burmese_lesson):
    burmese_home = burmese_lesson.get_ancestors().get(depth=2)
    granted = GroupPagePermission.objects.filter(
        group__name=reviewer_group_name("my"), page=burmese_home
    ).values_list("permission__codename", flat=True)
    assert set(granted) == {"change_page", "publish_page"}

    client.force_login(reviewer("my", "burmese"))
    english = LessonPage.objects.get(
        translation_key=burmese_lesson.translation_key, locale__language_code="en"
    )
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[burmese_lesson.pk])).status_code == 200
    )
    assert client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code in (
        302,
        403,
    )


def test_readers_see_the_draft_notice_until_a_reviewer_approves(
    client, curriculum, burmese_lesson, django_capture_on_commit_callbacks
):
    english = curriculum["lessons"]["t1"][0]
    assert NOTICE in client.get(burmese_lesson.url).content.decode()
    assert NOTICE not in client.get(english.url).content.decode()

    editor = Client()
    editor.force_login(reviewer("my", "burmese"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(approve_url(burmese_lesson), {"next": REPORT})
    assert response.status_code == 302 and response["Location"] == REPORT

    assert NOTICE not in client.get(burmese_lesson.url).content.decode()
    row = row_of(report(editor), english.title)
    cell = row.find("td", attrs={"data-language": "my"})
    assert "Approved by" in cell.get_text() and cell.find("form") is None

    # The next change to the translation (a sync that publishes it) needs a new approval.
    change_outcome(english, "I can name three rare earth elements.")
    translate(english, "my", django_capture_on_commit_callbacks)
    assert NOTICE in client.get(burmese_lesson.url).content.decode()
    assert (
        "Not reviewed"
        in row_of(report(editor), english.title)
        .find("td", attrs={"data-language": "my"})
        .get_text()
    )


def test_approving_twice_is_one_approval(
    client, burmese_lesson, django_capture_on_commit_callbacks
):
    client.force_login(reviewer("my", "burmese"))

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(approve_url(burmese_lesson)).status_code == 302

    assert TranslationReview.objects.count() == 1
    assert PageLogEntry.objects.filter(page=burmese_lesson, action=APPROVED_ACTION).count() == 1


def test_only_that_language_s_reviewers_may_approve(client, burmese_lesson):
    client.force_login(reviewer("es", "spanish"))
    assert client.post(approve_url(burmese_lesson)).status_code == 403
    assert TranslationReview.objects.count() == 0


def test_the_spanish_reviewer_gets_no_approve_button_for_burmese(
    client, curriculum, burmese_lesson
):
    client.force_login(reviewer("es", "spanish"))

    row = row_of(report(client), curriculum["lessons"]["t1"][0].title)

    assert row.find("td", attrs={"data-language": "my"}).find("form") is None


@pytest.mark.parametrize("who", ["anonymous", "pupil", "editor without the group"])
def test_nobody_else_approves(client, burmese_lesson, who):
    if who == "pupil":
        client.force_login(PupilFactory())
    elif who != "anonymous":
        client.force_login(EditorFactory(username="plain", is_superuser=False))

    response = client.post(approve_url(burmese_lesson))

    assert response.status_code in (302, 403)
    assert TranslationReview.objects.count() == 0


def test_approving_needs_a_post_with_the_csrf_token(burmese_lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer("my", "burmese"))

    assert client.get(approve_url(burmese_lesson)).status_code == 405
    assert client.post(approve_url(burmese_lesson)).status_code == 403
    assert TranslationReview.objects.count() == 0


def test_the_english_is_not_a_translation_to_approve(client, curriculum, editor):
    client.force_login(editor)

    response = client.post(approve_url(curriculum["lessons"]["t1"][0]))

    assert response.status_code == 400
    assert TranslationReview.objects.count() == 0


def test_a_translated_teacher_guide_shows_the_notice_to_teachers_until_approved(
    client, curriculum, teacher, burmese_lesson, django_capture_on_commit_callbacks
):
    guide = TeacherGuide.objects.get(page=curriculum["lessons"]["t1"][0])
    burmese_guide = translate(guide, "my", django_capture_on_commit_callbacks)
    client.force_login(teacher)
    guide_url = burmese_lesson.url + "guide/"

    assert NOTICE in client.get(guide_url).content.decode()

    approver = Client()
    approver.force_login(reviewer("my", "burmese"))
    url = reverse("lessons_translation_approve", args=["lessons", "teacherguide", burmese_guide.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert approver.post(url).status_code == 302
    assert NOTICE not in client.get(guide_url).content.decode()

    burmese_guide.tips = "<p>ပြင်ဆင်ထားသည်</p>"
    burmese_guide.save()
    assert NOTICE in client.get(guide_url).content.decode()
