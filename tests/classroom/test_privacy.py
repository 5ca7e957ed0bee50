"""Privacy: export a class's data, erase a pupil or a class (cascading), nothing in the logs."""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from reelearn.accounts.models import CardPassword
from reelearn.classroom import services
from reelearn.classroom.models import (
    Assignment,
    AssignmentPupil,
    Classroom,
    LessonProgress,
    Membership,
)

from .factories import make_assignment, make_group

User = get_user_model()
pytestmark = pytest.mark.django_db


class Records(logging.Handler):
    """Log records of reelearn.* (pytest's caplog is off in this project's test command)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logs():
    handler, logger = Records(), logging.getLogger("reelearn")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old)


def quiz_attempt(link, lesson):
    """A quiz attempt on this assignment, if the quizzes app has its models yet."""
    try:
        quiz_model = apps.get_model("quizzes", "Quiz")
        attempt_model = apps.get_model("quizzes", "Attempt")
    except LookupError:
        return None
    quiz = quiz_model.objects.filter(page=lesson).first() or quiz_model.objects.create(
        title="Rare earths quiz", page=lesson
    )
    return attempt_model.objects.create(quiz=quiz, pupil=link.pupil, assignment_pupil=link)


@pytest.fixture
def busy_class(classroom, pupil, curriculum):
    services.pupils_create(classroom=classroom, names=["Ben T."])
    make_group(classroom, "Readers", [pupil])
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"])
    link = AssignmentPupil.objects.get(assignment=assignment, pupil=pupil)
    services.lesson_progress_complete(pupil=pupil, page_id=curriculum["lessons"]["t1"][0].pk)
    attempt = quiz_attempt(link, curriculum["lessons"]["t1"][0])
    return {"assignment": assignment, "link": link, "attempt": attempt}


def test_the_export_holds_the_class_and_nothing_of_other_classes(
    client, teacher, classroom, busy_class, other_classroom
):
    client.force_login(teacher)
    response = client.get(f"/classes/{classroom.pk}/export/")
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    for table in (
        "class",
        "pupils",
        "groups",
        "assignments",
        "assignment_pupils",
        "lesson_progress",
    ):
        assert {f"{table}.json", f"{table}.csv"} <= names
    pupils = json.loads(archive.read("pupils.json"))
    assert {p["display_name"] for p in pupils} == {"Amara K.", "Ben T."}
    assert "Zed Q." not in archive.read("pupils.csv").decode()
    rows = list(csv.DictReader(io.StringIO(archive.read("assignment_pupils.csv").decode())))
    assert len(rows) == 2
    assert json.loads(archive.read("lesson_progress.json"))[0]["completed_at"]
    if busy_class["attempt"] is not None:
        attempts = json.loads(archive.read("quiz_attempts.json"))
        assert [a["id"] for a in attempts] == [busy_class["attempt"].pk]
    assert "password" not in archive.read("pupils.json").decode()


def test_erasing_a_pupil_needs_their_name_and_cascades(
    client, teacher, classroom, pupil, busy_class, logs
):
    client.force_login(teacher)
    url = f"/classes/{classroom.pk}/pupils/{pupil.pk}/erase/"
    refused = client.post(url, {"confirm": "someone else"})
    assert refused.status_code == 400 and User.objects.filter(pk=pupil.pk).exists()
    response = client.post(url, {"confirm": " amara  k. "})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pupil.pk).exists()
    assert not AssignmentPupil.objects.filter(pupil_id=pupil.pk).exists()
    assert not LessonProgress.objects.filter(pupil_id=pupil.pk).exists()
    assert not Membership.objects.filter(pupil_id=pupil.pk).exists()
    if busy_class["attempt"] is not None:
        assert not type(busy_class["attempt"]).objects.filter(pupil_id=pupil.pk).exists()
    assert logs.lines and "Amara" not in logs.text and "pupil" in logs.text


def test_a_pupil_also_in_another_class_keeps_their_account(
    client, teacher, classroom, pupil, busy_class, other_classroom, curriculum
):
    Membership.objects.create(classroom=other_classroom, pupil=pupil)
    elsewhere = make_assignment(other_classroom, curriculum["tier_pages"]["t3"], pupils=[pupil])
    client.force_login(teacher)
    client.post(f"/classes/{classroom.pk}/pupils/{pupil.pk}/erase/", {"confirm": "Amara K."})
    assert User.objects.filter(pk=pupil.pk).exists()
    assert not Membership.objects.filter(pupil=pupil, classroom=classroom).exists()
    assert not AssignmentPupil.objects.filter(pupil=pupil, assignment__classroom=classroom).exists()
    assert AssignmentPupil.objects.filter(pupil=pupil, assignment=elsewhere).exists()
    assert not classroom.groups.get().pupils.exists()


def test_erasing_a_class_erases_its_pupils_and_their_work(
    client, teacher, classroom, pupil, busy_class, other_classroom, other_pupil
):
    ben = User.objects.get(display_name="Ben T.")
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/erase/").content.decode()
    assert "2 pupil accounts" in page and "1 assignment" in page
    assert client.post(f"/classes/{classroom.pk}/erase/", {"confirm": "7R"}).status_code == 400
    response = client.post(f"/classes/{classroom.pk}/erase/", {"confirm": "7R Science"})
    assert response.status_code == 302 and response["Location"] == "/classes/"
    assert not Classroom.objects.filter(pk=classroom.pk).exists()
    assert not User.objects.filter(pk__in=[pupil.pk, ben.pk]).exists()
    assert not CardPassword.objects.filter(user_id=ben.pk).exists()
    assert not Assignment.objects.filter(pk=busy_class["assignment"].pk).exists()
    assert User.objects.filter(pk__in=[teacher.pk, other_pupil.pk]).count() == 2


def test_pupil_accounts_have_no_email_or_birth_date_fields():
    field_names = {f.name for f in User._meta.get_fields()}
    assert not {"date_of_birth", "birth_date", "dob"} & field_names
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x1", role="pupil", email="kid@example.org")


def test_adding_pupils_logs_counts_not_names(classroom, logs):
    credential = services.pupils_create(classroom=classroom, names=["Secretname Q."])[0]
    assert "1 pupils added" in logs.text
    assert "Secretname" not in logs.text and credential.username not in logs.text
    assert credential.password not in logs.text
