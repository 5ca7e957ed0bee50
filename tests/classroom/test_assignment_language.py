"""A teacher assigns a module in a language; pupils read it, and take its quiz, in that language.

Translations are made with wagtail-localize, as translators make them in the admin; a
translated lesson's reading counts as reading the English lesson the assignment points at.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from reelearn.classroom.models import Assignment, AssignmentPupil, LessonProgress
from reelearn.quizzes.models import Attempt
from tests.quizzes.factories import make_quiz

from .factories import make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def burmese_module(curriculum, translate):
    """The t1 module-tier and both its lessons in Burmese (so the module and the site's root
    are too); the first lesson with a Burmese title."""
    tier = translate(curriculum["tier_pages"]["t1"])
    lessons = [
        translate(curriculum["lessons"]["t1"][0], title="ရှားပါးမြေ သင်ခန်းစာ ၁"),
        translate(curriculum["lessons"]["t1"][1]),
    ]
    return {"tier": tier, "lessons": lessons}


def create(client, classroom, **data):
    return client.post(
        f"/classes/{classroom.pk}/assignments/new/?tier=all", {"audience": "class", **data}
    )


def test_a_teacher_assigns_a_module_in_burmese_and_the_pupil_reads_it_in_burmese(
    client, teacher, pupil, classroom, curriculum, burmese_module
):
    english_lesson = curriculum["lessons"]["t1"][0]
    client.force_login(teacher)
    form = client.get(f"/classes/{classroom.pk}/assignments/new/?tier=all").content.decode()
    assert "(Ages 7–11) — also in Burmese" in form  # the t1 module-tier is published in Burmese
    assert "Lesson: Lesson 1 (t3)</option>" in form  # t3 is in English only
    assert 'value="my"' in form and "Burmese · မြန်မာဘာသာ" in form
    refused = create(client, classroom, page=curriculum["tier_pages"]["t1"].pk, language="es")
    assert refused.status_code == 400
    assert (
        "is not published in Spanish. Choose a language it is published in: English, Burmese"
        in (refused.content.decode())
    )
    assert (
        create(client, classroom, page=curriculum["lessons"]["t1"][0].pk, language="xx").status_code
        == 400
    )
    assert not Assignment.objects.exists()
    response = create(client, classroom, page=curriculum["tier_pages"]["t1"].pk, language="my")
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.page_id, assignment.language) == (curriculum["tier_pages"]["t1"].pk, "my")
    client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/assign/")
    assert "in Burmese" in client.get(f"/classes/{classroom.pk}/").content.decode()
    # The assignment's page leads the teacher to what the pupils read, as well as the English.
    detail = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    assert f'href="{curriculum["tier_pages"]["t1"].url}"' in detail
    assert f'<a href="{burmese_module["tier"].url}" hreflang="my"' in detail

    client.force_login(pupil)
    page = client.get("/my-work/").content.decode()
    burmese = burmese_module["lessons"]
    assert burmese[0].url.startswith("/my/curriculum/") and burmese[0].url in page
    assert burmese[1].url in page and f'href="{english_lesson.url}"' not in page
    assert "Start “ရှားပါးမြေ သင်ခန်းစာ ၁”" in page  # the next step, in Burmese
    link = AssignmentPupil.objects.get(assignment=assignment)
    detail = client.get(f"/my-work/{link.pk}/").content.decode()
    assert burmese[0].url in detail and burmese[1].url in detail

    # Reading the Burmese lesson is reading the lesson the assignment covers.
    assert client.get(burmese[0].url).status_code == 200
    progress = LessonProgress.objects.get(pupil=pupil)
    assert progress.page_id == english_lesson.pk
    link.refresh_from_db()
    assert link.status == AssignmentPupil.Status.IN_PROGRESS
    assert client.get(english_lesson.url).status_code == 200  # the English one too: one row
    assert LessonProgress.objects.filter(pupil=pupil).count() == 1
    # "I have finished this lesson" on the Burmese page marks the English lesson done.
    done = client.post(f"/my-work/lessons/{burmese[1].pk}/done/", {"next": burmese[1].url})
    assert done.status_code == 302 and done["Location"] == burmese[1].url
    assert LessonProgress.objects.get(page=curriculum["lessons"]["t1"][1]).completed_at
    assert "1 of 2 lessons done" in client.get("/my-work/").content.decode()


def test_a_module_assigned_in_burmese_is_quizzed_in_burmese_where_its_quiz_is_translated(
    client, pupil, classroom, curriculum, burmese_module, translate
):
    tier_page = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(tier_page, kinds=["true_false"], open_for_practice=False)
    burmese_quiz = translate(quiz)
    burmese_quiz.questions.update(prompt="<p>ဒြပ်စင် မေးခွန်း</p>")
    english_only = make_quiz(
        curriculum["lessons"]["t1"][0],
        title="Lesson quiz",
        kinds=["true_false"],
        open_for_practice=False,
    )
    make_assignment(classroom, tier_page, language="my")
    client.force_login(pupil)  # their account is in English
    response = client.post(f"/my-work/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(pupil=pupil, quiz=quiz)  # the English quiz, read in Burmese
    assert attempt.language == "my"
    assert "ဒြပ်စင် မေးခွန်း" in client.get(response["Location"]).content.decode()
    client.post(f"/my-work/quizzes/{english_only.pk}/start/")
    assert Attempt.objects.get(pupil=pupil, quiz=english_only).language == "en"


def test_an_english_assignment_leaves_the_quiz_language_to_the_pupil(
    client, pupil, classroom, curriculum, translate
):
    tier_page = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(tier_page, kinds=["true_false"], open_for_practice=False)
    translate(quiz, "es")
    make_assignment(classroom, tier_page)
    pupil.language = "es"
    pupil.save(update_fields=["language"])
    client.force_login(pupil)
    client.post(f"/my-work/quizzes/{quiz.pk}/start/")
    assert Attempt.objects.get(pupil=pupil).language == "es"


def test_the_api_takes_a_language_and_refuses_one_without_a_translation(
    teacher, classroom, curriculum, burmese_module, pupil
):
    api = APIClient()
    api.force_authenticate(teacher)
    url = f"/api/v1/classes/{classroom.pk}/assignments/"
    t1, t3 = curriculum["tier_pages"]["t1"], curriculum["tier_pages"]["t3"]
    refused = api.post(url, {"page": t3.pk, "language": "my"}, format="json")
    assert refused.status_code == 400
    assert "is not published in Burmese" in refused.json()["fields"]["language"][0]
    unknown = api.post(url, {"page": t1.pk, "language": "xx"}, format="json")
    assert unknown.status_code == 400 and "language" in unknown.json()["fields"]

    # A translated page chosen directly: its English page is assigned, in its language.
    made = api.post(url, {"page": burmese_module["tier"].pk}, format="json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["page"]["id"] == t1.pk and body["language"] == "my"
    assert api.post(f"/api/v1/assignments/{body['id']}/assign/").status_code == 200
    listed = api.get(url).json()["results"]
    assert [a["language"] for a in listed] == ["my"]
    changed = api.patch(f"/api/v1/assignments/{body['id']}/", {"language": "es"}, format="json")
    assert changed.status_code == 400 and "Spanish" in changed.json()["fields"]["language"][0]

    pupil_api = APIClient()
    pupil_api.force_authenticate(pupil)
    [mine] = pupil_api.get("/api/v1/my/assignments/").json()
    assert mine["language"] == "my"
    lessons = {lesson["id"]: lesson for lesson in mine["lessons"]}
    first = lessons[curriculum["lessons"]["t1"][0].pk]
    assert first["url"] == burmese_module["lessons"][0].url and first["language"] == "my"
    assert first["title"] == "ရှားပါးမြေ သင်ခန်းစာ ၁"
    burmese_second = burmese_module["lessons"][1]
    done = pupil_api.post(f"/api/v1/my/lessons/{burmese_second.pk}/done/")
    assert done.status_code == 204
    assert LessonProgress.objects.get(pupil=pupil).page_id == curriculum["lessons"]["t1"][1].pk


def test_my_work_in_burmese_runs_the_same_queries_for_one_assignment_or_four(
    client, pupil, classroom, curriculum, translate
):
    for lesson in curriculum["lessons"]["t3"]:
        translate(lesson)
    make_assignment(classroom, curriculum["tier_pages"]["t3"], language="my")
    client.force_login(pupil)
    client.get("/my-work/")  # Wagtail's site root paths, cached between requests
    with CaptureQueriesContext(connection) as one:
        client.get("/my-work/")
    for lesson in curriculum["lessons"]["t1"]:
        translate(lesson)
    for tier in ("t1", "t3", "t1"):
        make_assignment(classroom, curriculum["tier_pages"][tier], language="my")
    with CaptureQueriesContext(connection) as four:
        page = client.get("/my-work/").content.decode()
    # one query finds the translations of every lesson of every assignment
    assert len(four.captured_queries) == len(one.captured_queries)
    assert page.count("/my/curriculum/") >= 8  # each lesson of each assignment, in Burmese


def test_the_quiz_page_leads_back_to_the_lesson_in_the_language_it_is_read_in(
    client, pupil, classroom, curriculum, burmese_module, translate
):
    lesson = curriculum["lessons"]["t1"][0]
    quiz = make_quiz(lesson, kinds=["true_false"])
    translate(quiz)
    burmese_lesson = burmese_module["lessons"][0]
    client.force_login(pupil)
    crumb = 'class="breadcrumb"'
    english = client.get(f"/my-work/quizzes/{quiz.pk}/").content.decode()
    assert f'href="{lesson.url}"' in english.split(crumb, 1)[1].split("</nav>", 1)[0]
    pupil.language = "my"
    pupil.save()
    burmese = client.get(f"/my-work/quizzes/{quiz.pk}/").content.decode()
    breadcrumb = burmese.split(crumb, 1)[1].split("</nav>", 1)[0]
    assert f'href="{burmese_lesson.url}"' in breadcrumb and "ရှားပါးမြေ သင်ခန်းစာ ၁" in breadcrumb
