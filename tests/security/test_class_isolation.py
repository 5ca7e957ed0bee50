"""Classes don't leak into each other (issue 16, part 2), tried from teacher B's side.

Amara was made by teacher A's class ("7R Science"). Signed in, she types the join code of
teacher B's class ("9X History"), which needs approval: she is *pending* there. Teacher B may
see her name and approve or refuse her; nothing else. Once approved, teacher B follows her
work in 9X only, and her login card stays with 7R, the class that made her account.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.utils import timezone

from reelearn.classroom import services
from reelearn.classroom.models import AssignmentPupil, LessonProgress, Membership
from reelearn.quizzes.models import Answer, Attempt, Question

from ..classroom.factories import ClassroomFactory
from ..quizzes.factories import assign, make_quiz

pytestmark = pytest.mark.django_db

A_ANSWER = "CLASS-A-ANSWER-MARKER my answer in 7R"


@pytest.fixture
def story(teacher, other_teacher, curriculum):
    """Amara, made in teacher A's class, joins teacher B's class with its code (pending)."""
    class_a = ClassroomFactory(name="7R Science", teacher=teacher)
    class_b = ClassroomFactory(name="9X History", teacher=other_teacher, join_needs_approval=True)
    made = services.pupils_create(classroom=class_a, names=["Amara K."])[0]
    tier_page = curriculum["tier_pages"]["t1"]
    lesson_a = curriculum["lessons"]["t1"][0]
    quiz = make_quiz(tier_page, kinds=[Question.Kind.OPEN])
    assignment_a = assign(class_a, tier_page, [made.user], title="7R magnets week")
    link = AssignmentPupil.objects.get(assignment=assignment_a, pupil=made.user)
    attempt = Attempt.objects.create(
        quiz=quiz,
        pupil=made.user,
        assignment_pupil=link,
        status=Attempt.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Answer.objects.create(
        attempt=attempt, question=quiz.questions.get(), response={"text": A_ANSWER}
    )
    LessonProgress.objects.create(pupil=made.user, page=lesson_a)
    _, membership = services.classroom_join(
        code=class_b.join_code,
        request=RequestFactory().post("/join/", REMOTE_ADDR="10.0.0.1"),
        pupil=made.user,
    )
    assert membership.status == Membership.Status.PENDING
    return {
        "a": class_a,
        "b": class_b,
        "pupil": made.user,
        "password": made.password,
        "membership": membership,
        "lesson_a": lesson_a,
        "curriculum": curriculum,
    }


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _export(client, class_id) -> dict[str, str]:
    response = client.get(f"/api/v1/classes/{class_id}/export/")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def _export_text(client, class_id) -> str:
    return "\n".join(_export(client, class_id).values())


# --- A pending member is a name to approve or refuse -----------------------------------------


def test_teacher_b_sees_only_the_pending_pupils_name(story, other_teacher):
    b, amara, password = story["b"], story["pupil"], story["password"]
    client = _as(other_teacher)
    dashboard = client.get(f"/classes/{b.pk}/").content.decode()
    assert "Amara K." in dashboard
    assert amara.username not in dashboard
    cards = client.get(f"/classes/{b.pk}/cards/").content.decode()
    assert password not in cards and amara.username not in cards
    assert (
        client.get(f"/classes/{b.pk}/cards/?pupil={amara.pk}")
        .content.decode()
        .count('class="login-card"')
        == 0
    )
    assert client.get(f"/classes/{b.pk}/pupils/{amara.pk}/").status_code == 404
    # The API: a name and a status, no username or sign-in times; no card, no reset.
    api = client.get(f"/api/v1/classes/{b.pk}/pupils/").json()
    row = next(r for r in api["results"] if r["id"] == amara.pk)
    assert row["display_name"] == "Amara K." and row["status"] == "pending"
    assert row["username"] is None and row["last_login"] is None
    assert amara.username not in str(api)
    assert client.get(f"/api/v1/classes/{b.pk}/pupils/{amara.pk}/").json()["username"] is None


def test_teacher_b_cannot_reset_or_sign_in_as_a_pending_pupil(story, other_teacher):
    b, amara, password = story["b"], story["pupil"], story["password"]
    client = _as(other_teacher)
    assert client.post(f"/classes/{b.pk}/pupils/{amara.pk}/reset-password/").status_code == 404
    api = client.post(f"/api/v1/classes/{b.pk}/pupils/{amara.pk}/password/")
    assert api.status_code == 404 and password not in api.content.decode()
    # Amara's own password still opens her account: nobody locked her out of class A.
    assert authenticate(username=amara.username, password=password) == amara


def test_teacher_b_exports_nothing_of_a_pending_pupil(story, other_teacher):
    text = _export_text(_as(other_teacher), story["b"].pk)
    assert story["pupil"].username not in text
    assert "Amara K." not in text
    assert A_ANSWER not in text and "7R magnets week" not in text


def test_a_pending_pupil_gets_no_work_and_no_class_pages(story, other_teacher):
    b, amara = story["b"], story["pupil"]
    tier_page = story["curriculum"]["tier_pages"]["t3"]
    teacher = _as(other_teacher)
    # Chosen by id, or in a group: refused, since she is not (yet) in the class.
    chosen = teacher.post(
        f"/api/v1/classes/{b.pk}/assignments/",
        {"page": tier_page.pk, "audience": "pupils", "pupils": [amara.pk]},
        content_type="application/json",
    )
    assert chosen.status_code == 400 and "pupils" in chosen.json()["fields"]
    group = teacher.post(
        f"/api/v1/classes/{b.pk}/groups/",
        {"name": "Readers", "pupils": [amara.pk]},
        content_type="application/json",
    )
    assert group.status_code == 400 and "pupils" in group.json()["fields"]
    whole = teacher.post(
        f"/api/v1/classes/{b.pk}/assignments/",
        {"page": tier_page.pk, "audience": "class"},
        content_type="application/json",
    )
    assert teacher.post(f"/api/v1/assignments/{whole.json()['id']}/assign/").status_code == 200
    assert not AssignmentPupil.objects.filter(assignment__classroom=b, pupil=amara).exists()
    pupil = _as(amara)
    assert pupil.get(f"/api/v1/classes/{b.pk}/").status_code == 404
    assert "9X History" not in str(pupil.get("/api/v1/my/assignments/").json())


def test_teacher_b_can_refuse_a_pending_pupil_without_touching_class_a(story, other_teacher):
    b, amara, password = story["b"], story["pupil"], story["password"]
    response = _as(other_teacher).delete(f"/api/v1/classes/{b.pk}/pupils/{amara.pk}/")
    assert response.status_code == 204
    assert not Membership.objects.filter(classroom=b, pupil=amara).exists()
    assert Membership.objects.filter(classroom=story["a"], pupil=amara).exists()
    assert authenticate(username=amara.username, password=password) == amara


# --- Once approved: this class's work only, and the card stays with its class ---------------


@pytest.fixture
def approved(story, other_teacher):
    response = _as(other_teacher).post(
        f"/api/v1/classes/{story['b'].pk}/pupils/{story['pupil'].pk}/approve/"
    )
    assert response.status_code == 200 and response.json()["status"] == "active"
    return story


def test_teacher_b_never_reads_or_resets_the_card_of_a_pupil_class_a_made(approved, other_teacher):
    b, amara, password = approved["b"], approved["pupil"], approved["password"]
    client = _as(other_teacher)
    cards = client.get(f"/classes/{b.pk}/cards/").content.decode()
    assert amara.username in cards and password not in cards
    assert "the class that made this account" in cards
    detail = client.get(f"/classes/{b.pk}/pupils/{amara.pk}/").content.decode()
    assert "Reset password" not in detail
    assert client.post(f"/classes/{b.pk}/pupils/{amara.pk}/reset-password/").status_code == 403
    api = client.post(f"/api/v1/classes/{b.pk}/pupils/{amara.pk}/password/")
    assert api.status_code == 403
    assert authenticate(username=amara.username, password=password) == amara


def test_class_a_keeps_the_card_and_class_b_inherits_it_only_when_a_lets_go(
    approved, teacher, other_teacher
):
    a, b, amara = approved["a"], approved["b"], approved["pupil"]
    mine = _as(teacher)
    assert approved["password"] in mine.get(f"/classes/{a.pk}/cards/").content.decode()
    reset = mine.post(f"/api/v1/classes/{a.pk}/pupils/{amara.pk}/password/")
    assert reset.status_code == 200
    assert authenticate(username=amara.username, password=reset.json()["password"]) == amara
    # Class A removes her: class B, where she stays, now holds her card.
    assert mine.delete(f"/api/v1/classes/{a.pk}/pupils/{amara.pk}/").status_code == 204
    theirs = _as(other_teacher).post(f"/api/v1/classes/{b.pk}/pupils/{amara.pk}/password/")
    assert theirs.status_code == 200


def test_a_pupil_class_b_made_with_its_code_has_their_card_in_class_b(other_teacher):
    b = ClassroomFactory(name="9X History", teacher=other_teacher, join_needs_approval=True)
    credential, _ = services.classroom_join(
        code=b.join_code,
        name="Noor P.",
        request=RequestFactory().post("/join/", REMOTE_ADDR="10.0.0.2"),
    )
    client = _as(other_teacher)
    assert credential.password not in client.get(f"/classes/{b.pk}/cards/").content.decode()
    client.post(f"/classes/{b.pk}/pupils/{credential.user.pk}/approve/")
    assert credential.password in client.get(f"/classes/{b.pk}/cards/").content.decode()


def test_class_b_export_and_activity_hold_only_class_b_work(approved, other_teacher):
    b = approved["b"]
    client = _as(other_teacher)
    files = _export(client, b.pk)
    text = "\n".join(files.values())
    assert "Amara K." in text  # she is in 9X now
    assert A_ANSWER not in text and "7R magnets week" not in text
    assert json.loads(files.get("quiz_attempts.json", "[]")) == []
    assert json.loads(files.get("quiz_answers.json", "[]")) == []
    assert json.loads(files["lesson_progress.json"]) == []  # her reading for 7R
    dashboard = client.get(f"/classes/{b.pk}/").content.decode()
    assert approved["lesson_a"].title not in dashboard
