"""Archiving a class inactive past REELEARN_CLASS_RETENTION_MONTHS: its pupils' work leaves the
hot tables, the export still holds it, erasure removes it, and restoring brings back the rest
exactly (`manage.py archive_classes`, the teacher's Restore button, the daily task)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reelearn.classroom import services
from reelearn.classroom.models import (
    ArchivedWork,
    AssignmentPupil,
    ClassArchive,
    Classroom,
    LessonProgress,
    Membership,
)
from reelearn.classroom.tasks import classes_archive_stale_task
from reelearn.quizzes.attempts import attempt_answers_save, attempt_start, attempt_submit
from reelearn.quizzes.marking import answer_mark
from reelearn.quizzes.models import Answer, Attempt, Question

from ..factories import PupilFactory
from ..quizzes.factories import make_quiz
from .factories import ClassroomFactory, make_assignment

pytestmark = pytest.mark.django_db
Kind = Question.Kind
LATER = timedelta(days=400)  # past the default retention of 12 months


def _answers(quiz, *, right: bool) -> list:
    """Stored responses to the quiz's questions: right, or wrong, and an open answer."""
    found = []
    for question in quiz.questions.prefetch_related("choices"):
        if question.kind == Kind.SINGLE:
            choice = next(c for c in question.choices.all() if c.is_correct == right)
            found.append((question, {"choice": choice.pk}))
        elif question.kind == Kind.NUMERIC:
            found.append((question, {"value": "120" if right else "7"}))
        elif question.kind == Kind.OPEN:
            found.append((question, {"text": "Magnets need them, and few are recycled."}))
    return found


@pytest.fixture
def busy(teacher, pupil, curriculum, other_teacher, other_pupil):
    """A class a year ago: Amara submitted the quiz (the teacher marked her open answer) and
    read a lesson, Ben left his attempt open; Amara also practised another quiz on her own.
    Beside it, another teacher's class with its own work."""
    ben = PupilFactory(display_name="Ben T.")
    classroom = ClassroomFactory(name="7R Science", teacher=teacher, pupils=[pupil, ben])
    page = curriculum["tier_pages"]["t1"]
    quiz = make_quiz(page, kinds=[Kind.SINGLE, Kind.NUMERIC, Kind.OPEN])
    assignment = make_assignment(classroom, page, due_at=timezone.now() + timedelta(days=7))
    links = {
        p.pk: AssignmentPupil.objects.get(assignment=assignment, pupil=p) for p in (pupil, ben)
    }
    mine, _ = attempt_start(quiz=quiz, pupil=pupil, link=links[pupil.pk])
    attempt_submit(attempt=mine, answers=_answers(quiz, right=True))
    open_answer = Answer.objects.get(attempt=mine, question__kind=Kind.OPEN)
    answer_mark(answer=open_answer, teacher=teacher, score=Decimal(3), comment="Good.")
    lesson = curriculum["lessons"]["t1"][0]
    services.lesson_progress_complete(pupil=pupil, page_id=lesson.pk)
    services.lesson_progress_open(pupil=ben, page_id=lesson.pk)
    bens, _ = attempt_start(quiz=quiz, pupil=ben, link=links[ben.pk])
    attempt_answers_save(attempt=bens, answers=_answers(quiz, right=False)[:1])  # left open
    practice = make_quiz(curriculum["tier_pages"]["t3"], kinds=[Kind.NUMERIC])
    own, _ = attempt_start(quiz=practice, pupil=pupil)
    other = ClassroomFactory(name="9X History", teacher=other_teacher, pupils=[other_pupil])
    other_link = AssignmentPupil.objects.get(
        assignment=make_assignment(other, page), pupil=other_pupil
    )
    attempt_start(quiz=quiz, pupil=other_pupil, link=other_link)
    return {
        "classroom": classroom,
        "other": other,
        "ben": ben,
        "quiz": quiz,
        "practice": own,
        "lesson": lesson,
    }


def rows(classroom) -> dict[str, list[dict]]:
    """Everything of the class in the hot work tables, every column."""
    return {
        "links": list(
            AssignmentPupil.objects.filter(assignment__classroom=classroom).order_by("pk").values()
        ),
        "progress": list(
            LessonProgress.objects.filter(pupil__memberships__classroom=classroom)
            .order_by("pk")
            .values()
        ),
        "attempts": list(
            Attempt.objects.filter(assignment_pupil__assignment__classroom=classroom)
            .order_by("pk")
            .values()
        ),
        "answers": list(
            Answer.objects.filter(attempt__assignment_pupil__assignment__classroom=classroom)
            .order_by("pk")
            .values()
        ),
    }


def export(client, classroom) -> dict[str, list]:
    """The class export's tables (JSON), rows in a stable order; not the class's own row
    (which says whether it is archived)."""
    response = client.get(f"/classes/{classroom.pk}/export/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    tables = {}
    for name in archive.namelist():
        if name.endswith(".json") and name != "class.json":
            found = json.loads(archive.read(name))
            tables[name] = sorted(found, key=lambda row: json.dumps(row, sort_keys=True))
    return tables


def later(busy):
    """A clock past the retention, with the other class still in use."""
    clock = time_machine.travel(timezone.now() + LATER, tick=False)
    clock.start()
    services.classroom_touch(classroom_id=busy["other"].pk)
    return clock


def test_a_stale_class_leaves_the_hot_tables_keeps_its_export_and_comes_back_exactly(
    client, teacher, busy
):
    classroom, other = busy["classroom"], busy["other"]
    before, other_before = rows(classroom), rows(other)
    assert all(before.values())
    client.force_login(teacher)
    exported = export(client, classroom)
    clock = later(busy)
    try:
        client.force_login(teacher)  # a new session: the first expired meanwhile
        dry = io.StringIO()
        call_command("archive_classes", "--dry-run", stdout=dry)
        listed = dry.getvalue()
        assert f"class {classroom.pk}:" in listed and f"class {other.pk}:" not in listed
        assert rows(classroom) == before  # a dry run changes nothing
        out = io.StringIO()
        call_command("archive_classes", stdout=out)
        assert "Archived 1 classes" in out.getvalue()

        assert not any(rows(classroom).values())  # out of the hot tables
        assert rows(other) == other_before
        assert Attempt.objects.filter(pk=busy["practice"].pk).exists()  # her own practice stays
        assert Classroom.objects.get(pk=classroom.pk).is_archived
        archive = ClassArchive.objects.get(classroom=classroom)
        assert archive.counts == {
            "classroom.assignmentpupil": 2,
            "classroom.lessonprogress": 2,
            "quizzes.attempt": 2,
            "quizzes.answer": 4,
        }
        assert export(client, classroom) == exported  # the export still holds all of it
        page = client.get(f"/classes/{classroom.pk}/").content.decode()
        assert "moved to the archive" in page
        gradebook = client.get(f"/classes/{classroom.pk}/gradebook/")
        assert gradebook.status_code == 200 and "Ben T." in gradebook.content.decode()

        call_command("archive_classes", stdout=io.StringIO())  # a second run: nothing more
        assert ClassArchive.objects.count() == 1

        done = io.StringIO()
        call_command("archive_classes", "--restore", str(classroom.pk), stdout=done)
        assert "Restored class" in done.getvalue()
        assert rows(classroom) == before  # every row, id and value as it was
        restored = Classroom.objects.get(pk=classroom.pk)
        assert not restored.is_archived and restored.last_activity_at == timezone.now()
        assert not ClassArchive.objects.exists() and not ArchivedWork.objects.exists()
        with pytest.raises(CommandError, match="no archived work"):
            call_command("archive_classes", "--restore", str(classroom.pk))
        call_command("archive_classes", stdout=io.StringIO())  # just restored: in use again
        assert rows(classroom) == before
    finally:
        clock.stop()


def test_erasing_pupils_of_an_archived_class_erases_their_archived_work(
    client, teacher, pupil, busy
):
    classroom, ben = busy["classroom"], busy["ben"]
    before = rows(classroom)
    Membership.objects.create(classroom=busy["other"], pupil=pupil)  # Amara keeps her account
    clock = later(busy)
    try:
        call_command("archive_classes", stdout=io.StringIO())
        client.force_login(teacher)
        for who, name in ((ben, "Ben T."), (pupil, "Amara K.")):
            response = client.post(
                f"/classes/{classroom.pk}/pupils/{who.pk}/erase/", {"confirm": name}
            )
            assert response.status_code == 302
        assert not type(ben).objects.filter(pk=ben.pk).exists()
        assert type(pupil).objects.filter(pk=pupil.pk).exists()
        assert not ArchivedWork.objects.exists()  # Ben's with his account, Amara's by the class
        exported = export(client, classroom)
        assert exported["quiz_attempts.json"] == exported["quiz_answers.json"] == []
        assert exported["assignment_pupils.json"] == exported["lesson_progress.json"] == []
        assert services.classroom_work_restore(classroom=classroom) == {
            "classroom.assignmentpupil": 0,
            "classroom.lessonprogress": 0,
            "quizzes.attempt": 0,
            "quizzes.answer": 0,
        }
        assert not any(rows(classroom).values()) and any(before.values())
    finally:
        clock.stop()


def test_erasing_one_pupil_leaves_the_others_work_to_restore_exactly(client, teacher, busy):
    classroom, ben = busy["classroom"], busy["ben"]
    before = rows(classroom)
    clock = later(busy)
    try:
        call_command("archive_classes", stdout=io.StringIO())
        services.pupil_erase(classroom=classroom, pupil=ben)
        client.force_login(teacher)
        response = client.post(f"/classes/{classroom.pk}/archive/", {"action": "restore"})
        assert response.status_code == 302  # the teacher's Restore button
        kept = {
            table: [row for row in found if ben.pk not in (row.get("pupil_id"),)]
            for table, found in before.items()
        }
        bens_attempt = next(a["id"] for a in before["attempts"] if a["pupil_id"] == ben.pk)
        kept["answers"] = [a for a in before["answers"] if a["attempt_id"] != bens_attempt]
        assert rows(classroom) == kept and kept["answers"]
    finally:
        clock.stop()


def test_erasing_an_archived_class_erases_its_archive(client, teacher, busy):
    classroom = busy["classroom"]
    clock = later(busy)
    try:
        call_command("archive_classes", stdout=io.StringIO())
        client.force_login(teacher)
        response = client.post(f"/classes/{classroom.pk}/erase/", {"confirm": "7R Science"})
        assert response.status_code == 302
        assert not ClassArchive.objects.exists() and not ArchivedWork.objects.exists()
    finally:
        clock.stop()


def test_work_of_a_quiz_deleted_meanwhile_is_not_restored(busy):
    classroom, quiz = busy["classroom"], busy["quiz"]
    before = rows(classroom)
    clock = later(busy)
    try:
        assert classes_archive_stale_task() == 1
        quiz.delete()  # as deleting it would have deleted its attempts and answers
        counts = services.classroom_work_restore(classroom=classroom)
        assert counts["quizzes.attempt"] == counts["quizzes.answer"] == 0
        now = rows(classroom)
        assert now["links"] == before["links"] and now["progress"] == before["progress"]
        assert now["attempts"] == now["answers"] == []
    finally:
        clock.stop()


def test_progress_stays_while_the_pupil_has_a_class_in_use(pupil, busy):
    Membership.objects.create(classroom=busy["other"], pupil=pupil)
    clock = later(busy)
    try:
        call_command("archive_classes", stdout=io.StringIO())
        lesson = busy["lesson"]
        assert LessonProgress.objects.filter(pupil=pupil, page=lesson).exists()
        assert not LessonProgress.objects.filter(pupil=busy["ben"], page=lesson).exists()
    finally:
        clock.stop()


def test_a_lesson_opened_again_while_archived_is_recorded_and_merged_on_restore(
    pupil, busy, django_capture_on_commit_callbacks
):
    classroom, lesson = busy["classroom"], busy["lesson"]
    first = LessonProgress.objects.get(pupil=pupil, page=lesson)
    clock = later(busy)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert not services.lesson_progress_view(pupil=pupil, page_id=lesson.pk)  # cached
            call_command("archive_classes", stdout=io.StringIO())
        assert not LessonProgress.objects.filter(pupil=pupil, page=lesson).exists()
        assert services.lesson_progress_view(pupil=pupil, page_id=lesson.pk)  # recorded anew
        services.classroom_work_restore(classroom=classroom)
        row = LessonProgress.objects.get(pupil=pupil, page=lesson)
        assert (row.pk, row.opened_at, row.completed_at) == (
            first.pk,
            first.opened_at,
            first.completed_at,
        )
    finally:
        clock.stop()


def test_an_archived_class_exports_its_pupils_work_in_one_more_query(client, teacher, busy):
    classroom = busy["classroom"]
    client.force_login(teacher)
    with CaptureQueriesContext(connection) as hot:
        client.get(f"/classes/{classroom.pk}/export/")
    clock = later(busy)
    try:
        call_command("archive_classes", stdout=io.StringIO())
        client.force_login(teacher)
        # the same reads (finding nothing in the hot tables), and every pupil's archived work
        with CaptureQueriesContext(connection) as archived:
            client.get(f"/classes/{classroom.pk}/export/")
        assert len(archived) == len(hot) + 1
    finally:
        clock.stop()


def test_the_command_refuses_what_it_cannot_do(settings):
    with pytest.raises(CommandError, match="no class 999"):
        call_command("archive_classes", "--restore", "999")
    with pytest.raises(CommandError, match="--limit"):
        call_command("archive_classes", "--limit", "0")
    settings.REELEARN_CLASS_RETENTION_MONTHS = 0
    out = io.StringIO()
    call_command("archive_classes", stdout=out)
    assert "never archived" in out.getvalue()
