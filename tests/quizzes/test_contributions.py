"""The quizzes app adds its quizzes to pupils' assignment pages and its rows to class exports
through classroom's registries (classroom never names quizzes)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from reelearn.quizzes import attempts

from .factories import assign, link_for, make_class, make_quiz

pytestmark = pytest.mark.django_db


def test_my_work_and_the_api_list_the_assigned_quiz(client, teacher, pupil, lesson):
    quiz = make_quiz(lesson, title="Magnets quiz", open_for_practice=False)
    assignment = assign(make_class(teacher, [pupil]), lesson, [pupil])
    client.force_login(pupil)
    page = client.get("/my-work/").content.decode()
    link = link_for(assignment, pupil)
    assert "Magnets quiz" in page and f"/my-work/quizzes/{quiz.pk}/?link={link.pk}" in page
    listing = client.get("/api/v1/my/assignments/").json()
    quizzes = [q for item in listing for q in item["quizzes"]]
    assert [(q["title"], q["status"]) for q in quizzes] == [("Magnets quiz", "Not started")]


def test_the_class_export_holds_this_class_attempts_only(client, teacher, pupil, lesson):
    quiz = make_quiz(lesson)
    classroom = make_class(teacher, [pupil])
    assignment = assign(classroom, lesson, [pupil])
    in_class, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link_for(assignment, pupil))
    attempts.attempt_submit(attempt=in_class)
    practice, _ = attempts.attempt_start(quiz=make_quiz(lesson.get_parent().specific), pupil=pupil)
    client.force_login(teacher)
    response = client.get(f"/api/v1/classes/{classroom.pk}/export/")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        exported = json.loads(archive.read("quiz_attempts.json"))
        assert "quiz_answers.json" in archive.namelist()
    assert [a["id"] for a in exported] == [in_class.pk]
    assert practice.pk not in [a["id"] for a in exported]
