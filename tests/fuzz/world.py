"""The data the fuzzer runs against: two classes, assignments, a quiz with attempts, packs.

Built once per module inside an outer transaction that is rolled back at the end (see
conftest.py), so the ids below exist for every generated request and nothing is committed.
`ids` maps a path-parameter or body-field name to the ids worth trying for it: the personas'
own objects first, then someone else's (which must answer 403/404, never 500).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from reelearn.api.models import DeviceToken
from reelearn.classroom.models import AssignmentPupil, Membership
from reelearn.classroom.services.progress import assignment_pupil_turn_in
from reelearn.packs.models import Pack
from reelearn.quizzes import attempts
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.models import Answer, Question

from ..classroom.factories import ClassroomFactory, make_assignment, make_group
from ..factories import PupilFactory, TeacherFactory, make_curriculum
from ..quizzes.factories import make_quiz, right_answers

PERSONAS = ("pupil", "teacher")


def _submitted_attempt(quiz, pupil, link):
    """Start, answer every question correctly (the open one in words) and submit."""
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    questions = {q.pk: q for q in quiz.questions.prefetch_related("choices")}
    answers = [
        (
            questions[qid],
            response_from_client(
                questions[qid], value, seed=attempt.seed, choices=list(questions[qid].choices.all())
            ),
        )
        for qid, value in right_answers(attempt).items()
    ]
    attempts.attempt_submit(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    return attempt


def _ready_pack(page, edition: str) -> Pack:
    """A READY pack with a tiny stand-in file: downloads work without running WeasyPrint."""
    pack = Pack(
        kind=Pack.Kind.LESSON,
        target=f"page:{page.pk}",
        page=page,
        edition=edition,
        paper=Pack.Paper.A4,
        content_hash=f"fuzz-{edition}",
        status=Pack.Status.READY,
        page_count=1,
        built_at=timezone.now(),
    )
    content = b"%PDF-1.4\n% fuzz stand-in\n%%EOF\n"
    pack.file.save(f"fuzz-{edition}-{page.pk}.pdf", ContentFile(content), save=False)
    pack.file_size = len(content)
    pack.save()
    return pack


def build_world() -> dict:
    curriculum = make_curriculum()
    lesson = curriculum["lessons"]["t1"][0]
    other_lesson = curriculum["lessons"]["t1"][1]
    tier_page = curriculum["tier_pages"]["t1"]

    teacher = TeacherFactory(username="teacher", display_name="Ms Rivera")
    other_teacher = TeacherFactory(username="otherteacher", display_name="Mr Other")
    pupil = PupilFactory(username="pupil", display_name="Amara K.")
    classmate = PupilFactory(username="classmate", display_name="Ben L.")
    newcomer = PupilFactory(username="newcomer", display_name="Cleo M.")
    other_pupil = PupilFactory(username="otherpupil", display_name="Zed Q.")

    # A quiz of every question kind, three attempts allowed so one can stay open.
    quiz = make_quiz(lesson, attempts_allowed=3)
    draft_quiz = make_quiz(other_lesson, title="Draft quiz", publish=False)

    classroom = ClassroomFactory(name="7R Science", teacher=teacher, pupils=[pupil, classmate])
    Membership.objects.create(classroom=classroom, pupil=newcomer, status=Membership.Status.PENDING)
    group = make_group(classroom, "Table 1", [pupil])
    assigned = make_assignment(
        classroom,
        lesson,
        open_at=timezone.now() - dt.timedelta(days=1),
        due_at=timezone.now() + dt.timedelta(days=7),
    )
    draft = make_assignment(classroom, curriculum["tier_pages"]["t3"], status="draft")
    other_classroom = ClassroomFactory(
        name="9X History", teacher=other_teacher, pupils=[other_pupil]
    )
    other_group = make_group(other_classroom, "Table 9", [other_pupil])
    other_assignment = make_assignment(
        other_classroom, lesson, open_at=timezone.now() - dt.timedelta(days=1)
    )

    link = AssignmentPupil.objects.get(assignment=assigned, pupil=pupil)
    classmate_link = AssignmentPupil.objects.get(assignment=assigned, pupil=classmate)
    other_link = AssignmentPupil.objects.get(assignment=other_assignment, pupil=other_pupil)

    submitted = _submitted_attempt(quiz, pupil, link)
    in_progress, _ = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    classmate_attempt = _submitted_attempt(quiz, classmate, classmate_link)
    other_attempt = _submitted_attempt(quiz, other_pupil, other_link)
    assignment_pupil_turn_in(link=AssignmentPupil.objects.get(pk=classmate_link.pk))
    open_answers = list(
        Answer.objects.filter(
            question__kind=Question.Kind.OPEN,
            attempt__in=[submitted, classmate_attempt, other_attempt],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    student_pack = _ready_pack(lesson, Pack.Edition.STUDENT)
    teacher_pack = _ready_pack(lesson, Pack.Edition.TEACHER)

    tokens = {
        "pupil": DeviceToken.issue(user=pupil)[1],
        "teacher": DeviceToken.issue(user=teacher)[1],
    }
    DeviceToken.issue(user=other_teacher)

    questions = list(quiz.questions.order_by("sort_order").values_list("pk", flat=True))
    lessons = [p.pk for tier in curriculum["lessons"].values() for p in tier]
    ids = {
        "class_id": [classroom.pk, other_classroom.pk],
        "pupil_id": [pupil.pk, classmate.pk, newcomer.pk, other_pupil.pk, teacher.pk],
        "group_id": [group.pk, other_group.pk],
        "assignment_id": [assigned.pk, draft.pk, other_assignment.pk],
        "link_id": [link.pk, classmate_link.pk, other_link.pk],
        "page_id": [*lessons, tier_page.pk, curriculum["module"].pk, curriculum["home"].pk],
        "quiz_id": [quiz.pk, draft_quiz.pk],
        "attempt_id": [in_progress.pk, submitted.pk, classmate_attempt.pk, other_attempt.pk],
        "question_id": questions,
        "answer_id": open_answers,
        "pack_id": [student_pack.pk, teacher_pack.pk],
    }
    # Body fields that carry ids or names of things that exist.
    fields = {
        "page": ids["page_id"],
        "assignment": ids["assignment_id"],
        "assignment_pupil": ids["link_id"],
        "groups": ids["group_id"],
        "pupils": ids["pupil_id"],
        "teacher": ["otherteacher", other_teacher.email, "teacher", "pupil"],
        "code": [classroom.join_code, other_classroom.join_code],
        "username": ["pupil", "teacher"],
    }
    return {"tokens": tokens, "ids": ids, "fields": fields}
