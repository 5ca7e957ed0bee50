"""A realistic world full of secrets, built through the apps' own factories and services.

Every secret carries a distinctive marker so that a crawler can look for it in any response:
teacher guides ("TEACHER-GUIDE-SECRET", "MODULE-GUIDE-SECRET" from make_curriculum), answer keys
("ANSWER-KEY-MARKER-…"), other pupils' names and answers, and the names of the classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from lessons.models import LessonPage
from reelearn.classroom.models import Assignment, AssignmentPupil
from reelearn.packs import services as pack_services
from reelearn.packs.models import Pack
from reelearn.quizzes import attempts, marking
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.models import Attempt, Choice, Question, Quiz

from ..classroom.factories import ClassroomFactory, make_group
from ..factories import PupilFactory, lesson_body, make_curriculum
from ..quizzes.factories import add_question, assign, right_answers

GUIDE_MARKERS = ("TEACHER-GUIDE-SECRET", "MODULE-GUIDE-SECRET")
# In the answer key only: explanations, choice feedback, accepted answers, marking guides.
KEY_MARKERS = (
    "ANSWER-KEY-MARKER-EXPLANATION",
    "ANSWER-KEY-MARKER-RIGHT-FEEDBACK",
    "ANSWER-KEY-MARKER-WRONG-FEEDBACK",
    "ANSWER-KEY-MARKER-ACCEPTED",
    "ANSWER-KEY-MARKER-GUIDE",
)
CLASSMATES = ("Zanzibar-Other-Pupil Q.", "Quokka-Classmate-Pupil B.", "Yarrow-Classmate-Pupil C.")
PUPIL_NAME = "Amara-Pupil-Marker K."
OUTSIDER = "Xylophone-Outsider-Pupil R."
# What other pupils wrote, and what their teacher wrote back: theirs alone.
OTHER_ANSWER_MARKER = "OTHER-PUPIL-ANSWER-MARKER"
TEACHER_COMMENT_MARKER = "TEACHER-COMMENT-MARKER"
# Written by editors but not published: drafts, a page never made live, a quiz's next version.
DRAFT_MARKERS = ("DRAFT-REVISION-MARKER", "UNPUBLISHED-PAGE-MARKER", "DRAFT-QUIZ-MARKER")
CLASS_NAME = "Kestrel-Class-Marker 8K"
OTHER_CLASS_NAME = "Osprey-Class-Marker 9X"
GROUP_NAME = "Heron-Group-Marker"


@dataclass
class World:
    curriculum: dict
    teacher: object
    pupil: object
    classmates: list
    outsider: object
    classroom: object
    other_classroom: object
    assignment: Assignment
    link: AssignmentPupil
    other_assignment: Assignment
    quiz: Quiz
    own_submitted: Attempt
    own_open: Attempt
    other_attempts: list
    packs: dict = field(default_factory=dict)

    def pupil_secrets(self) -> dict[str, str]:
        """Text a signed-in pupil must never receive (before the due date), by label."""
        found = {m: "teacher guide" for m in GUIDE_MARKERS}
        found.update({m: "answer key before due" for m in KEY_MARKERS})
        for person in [*self.classmates, self.outsider]:
            found[person.display_name] = "another pupil's name"
        found[OTHER_ANSWER_MARKER] = "another pupil's answer"
        found[TEACHER_COMMENT_MARKER] = "a teacher's comment on another pupil's answer"
        found[OTHER_CLASS_NAME] = "a class the pupil is not in"
        found.update({m: "unpublished editing" for m in DRAFT_MARKERS})
        return found

    def teacher_secrets(self) -> dict[str, str]:
        """A teacher sees their own class, not another teacher's, and no unpublished editing."""
        found = {m: "unpublished editing" for m in DRAFT_MARKERS}
        found[self.outsider.display_name] = "a pupil of another teacher's class"
        found[f"{OTHER_ANSWER_MARKER}-outsider"] = "an answer in another teacher's class"
        found[OTHER_CLASS_NAME] = "another teacher's class"
        return found

    def visitor_secrets(self) -> dict[str, str]:
        """Everything above plus anything about the pupil and the class: visitors see none."""
        found = self.pupil_secrets()
        found[self.pupil.display_name] = "a pupil's name"
        found[CLASS_NAME] = "a class name"
        found[GROUP_NAME] = "a group name"
        found[self.classroom.join_code] = "a class join code"
        return found

    def ids(self) -> dict[str, list[int]]:
        """Candidate values for each id in a URL: the pupil's own and everybody else's."""
        lessons = [p for tier in self.curriculum["lessons"].values() for p in tier]
        pages = [
            *self.curriculum["tier_pages"].values(),
            *lessons,
            self.curriculum["module"],
            self.curriculum["unpublished"],
        ]
        attempts = [self.own_submitted, self.own_open, *self.other_attempts]
        links = list(
            AssignmentPupil.objects.filter(assignment__in=[self.assignment, self.other_assignment])
        )
        questions = list(self.quiz.questions.all())
        return {
            "class_id": [self.classroom.pk, self.other_classroom.pk],
            "assignment_id": [self.assignment.pk, self.other_assignment.pk],
            "pupil_id": [self.pupil.pk, *[p.pk for p in self.classmates], self.outsider.pk],
            "teacher_id": [self.teacher.pk],
            "group_id": list(self.classroom.groups.values_list("pk", flat=True)),
            "quiz_id": [self.quiz.pk],
            "attempt_id": [a.pk for a in attempts],
            "question_id": [q.pk for q in questions[:2]],
            "answer_id": [
                a.pk for a in _answers_of(attempts) if a.question.kind == Question.Kind.OPEN
            ],
            "link_id": [link.pk for link in links],
            "page_id": [p.pk for p in pages],
            "pack_id": [p.pk for p in Pack.objects.all()] or [999999],  # none built: try one
        }


def _answers_of(attempts) -> list:
    from reelearn.quizzes.models import Answer

    return list(
        Answer.objects.filter(attempt__in=attempts).select_related("question").order_by("pk")
    )


def make_secret_quiz(page) -> Quiz:
    """A live quiz with one question of every kind whose key carries the KEY_MARKERS."""
    quiz = Quiz.objects.create(
        page=page,
        title="Magnets and metals quiz",
        live=True,
        attempts_allowed=3,
        feedback_timing="after_due",
        answers_timing="after_due",
        shuffle_choices=False,
    )
    for position, kind in enumerate(Question.Kind.values):
        add_question(
            quiz,
            kind,
            position,
            explanation="ANSWER-KEY-MARKER-EXPLANATION why",
            hint="Think about magnets.",
            **(
                {"accepted_answers": "ANSWER-KEY-MARKER-ACCEPTED\nNd"}
                if kind == Question.Kind.SHORT_TEXT
                else {}
            ),
            **(
                {"marking_guide": "ANSWER-KEY-MARKER-GUIDE two sides"}
                if kind == Question.Kind.OPEN
                else {}
            ),
        )
    Choice.objects.filter(question__quiz=quiz, is_correct=True).update(
        feedback="ANSWER-KEY-MARKER-RIGHT-FEEDBACK well done"
    )
    Choice.objects.filter(
        question__quiz=quiz, is_correct=False, question__kind__in=Question.CHOICE_KINDS
    ).update(feedback="ANSWER-KEY-MARKER-WRONG-FEEDBACK not quite")
    quiz.save_revision().publish()  # the revision carries the marked key, as an editor's would
    return Quiz.objects.get(pk=quiz.pk)


def add_unpublished_editing(curriculum: dict, quiz: Quiz) -> None:
    """A draft revision of a live lesson, a lesson never published, and a draft of the quiz
    with a new explanation: only editors (in the admin) may see any of them."""
    lesson = curriculum["lessons"]["t1"][1]
    lesson.outcome = "DRAFT-REVISION-MARKER I can name rare earths."
    lesson.save_revision()  # saved, not published: the live page keeps its outcome
    tier_page = curriculum["tier_pages"]["t1"]
    hidden = LessonPage(
        title="UNPUBLISHED-PAGE-MARKER lesson",
        slug="not-yet",
        live=False,
        outcome="UNPUBLISHED-PAGE-MARKER outcome",
        key_points=[("point", "One."), ("point", "Two."), ("point", "Three.")],
        body=lesson_body(curriculum["sources"], curriculum["terms"]),
    )
    tier_page.add_child(instance=hidden)
    hidden.save_revision()
    curriculum["unpublished"] = hidden
    questions = list(quiz.questions.all())
    questions[0].explanation = "DRAFT-QUIZ-MARKER the next version's explanation"
    quiz.questions = questions  # in memory: the draft revision carries it, the live rows not
    quiz.save_revision()


def _stored(attempt, client_answers: dict) -> list:
    out = []
    for question in attempt.quiz.questions.prefetch_related("choices"):
        if question.pk in client_answers:
            out.append(
                (
                    question,
                    response_from_client(
                        question,
                        client_answers[question.pk],
                        seed=attempt.seed,
                        choices=list(question.choices.all()),
                    ),
                )
            )
    return out


def take_quiz(quiz, pupil, link, *, open_text: str, submit: bool = True) -> Attempt:
    """Start, answer every question (the key's second accepted answer, never the marker) and
    optionally submit, through the quiz services."""
    attempt, _created = attempts.attempt_start(quiz=quiz, pupil=pupil, link=link)
    answers = right_answers(attempt)
    for question in quiz.questions.all():
        if question.kind == Question.Kind.SHORT_TEXT:
            answers[question.pk] = {"text": "Nd"}
        elif question.kind == Question.Kind.OPEN:
            answers[question.pk] = {"text": open_text}
    attempts.attempt_answers_save(attempt=attempt, answers=_stored(attempt, answers))
    if submit:
        attempts.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    return attempt


def build_world(*, teacher, other_teacher, pupil, captured=None, packs: bool = True) -> World:
    """The curriculum; a class with the pupil and three classmates; another class; a quiz with
    a marked key hidden until the due date (a week away); attempts; built packs.

    `captured` is pytest-django's django_capture_on_commit_callbacks, to run pack builds the
    way their on-commit enqueue would (eager Celery in tests).
    """
    # The persona's usual "Amara K." is also the forms' example name: give ours a marker.
    pupil.display_name = PUPIL_NAME
    pupil.save(update_fields=["display_name"])
    curriculum = make_curriculum()
    tier_page = curriculum["tier_pages"]["t1"]
    quiz = make_secret_quiz(tier_page)
    add_unpublished_editing(curriculum, quiz)
    classmates = [PupilFactory(display_name=name) for name in CLASSMATES]
    outsider = PupilFactory(display_name=OUTSIDER)
    classroom = ClassroomFactory(name=CLASS_NAME, teacher=teacher, pupils=[pupil, *classmates])
    other_classroom = ClassroomFactory(
        name=OTHER_CLASS_NAME, teacher=other_teacher, pupils=[outsider]
    )
    make_group(classroom, GROUP_NAME, [pupil, classmates[0]])
    due = timezone.now() + timedelta(days=7)
    hidden = {"feedback_timing": "after_due", "answers_timing": "after_due", "attempts_allowed": 3}
    assignment = assign(
        classroom,
        tier_page,
        [pupil, *classmates],
        due_at=due,
        quiz_settings=hidden,
        title="Magnets week",
    )
    # Reading only, not started yet: the pupil's page offers "done" and "turn in" forms.
    assign(
        classroom,
        curriculum["lessons"]["t3"][0],
        [pupil, *classmates],
        due_at=due,
        title="Reading week",
    )
    other_assignment = assign(
        other_classroom,
        tier_page,
        [outsider],
        due_at=due,
        quiz_settings=hidden,
        title="Osprey magnets week",
    )

    def link_of(a, p):
        return AssignmentPupil.objects.select_related("assignment__page").get(assignment=a, pupil=p)

    other_attempts = []
    for n, mate in enumerate(classmates[:2]):
        other_attempts.append(
            take_quiz(
                quiz,
                mate,
                link_of(assignment, mate),
                open_text=f"{OTHER_ANSWER_MARKER}-{n} because magnets",
            )
        )
    other_attempts.append(
        take_quiz(
            quiz,
            classmates[2],
            link_of(assignment, classmates[2]),
            open_text=f"{OTHER_ANSWER_MARKER}-open",
            submit=False,
        )
    )
    other_attempts.append(
        take_quiz(
            quiz,
            outsider,
            link_of(other_assignment, outsider),
            open_text=f"{OTHER_ANSWER_MARKER}-outsider",
        )
    )
    open_answer = other_attempts[0].answers.get(question__kind=Question.Kind.OPEN)
    marking.answer_mark(
        answer=open_answer,
        teacher=teacher,
        score=3,
        comment=f"{TEACHER_COMMENT_MARKER} good reasons",
    )
    link = link_of(assignment, pupil)
    own_submitted = take_quiz(quiz, pupil, link, open_text="My own answer about magnets")
    own_open = take_quiz(quiz, pupil, link, open_text="Still thinking", submit=False)
    world = World(
        curriculum=curriculum,
        teacher=teacher,
        pupil=pupil,
        classmates=classmates,
        outsider=outsider,
        classroom=classroom,
        other_classroom=other_classroom,
        assignment=assignment,
        link=link,
        other_assignment=other_assignment,
        quiz=quiz,
        own_submitted=own_submitted,
        own_open=own_open,
        other_attempts=other_attempts,
    )
    if packs and captured is not None:
        world.packs = build_packs(world, captured)
    return world


def build_packs(world: World, captured) -> dict[str, Pack]:
    """A student and a teacher edition of the quiz's module-tier, and the class pack (with
    every pupil's name and login card): the last two must stay with teachers. Also a lesson's
    student pack (it prints the module-tier's quiz sheet) and the module's zip of lessons."""
    tier_page = world.curriculum["tier_pages"]["t1"]
    lesson = world.curriculum["lessons"]["t1"][0]
    built = {}
    with captured(execute=True):
        built["lesson"] = pack_services.page_pack_request(
            page=lesson, edition="student", paper="a4"
        )
    with captured(execute=True):
        built["zip"] = pack_services.page_pack_request(
            page=tier_page, edition="student", paper="a4", zipped=True
        )
    with captured(execute=True):
        built["student"] = pack_services.page_pack_request(
            page=tier_page, edition="student", paper="a4"
        )
    with captured(execute=True):
        built["teacher"] = pack_services.page_pack_request(
            page=tier_page, edition="teacher", paper="a4"
        )
    with captured(execute=True):
        built["class"] = pack_services.class_pack_request(assignment=world.assignment, paper="a4")
    for pack in built.values():
        pack.refresh_from_db()
        assert pack.status == Pack.Status.READY, (pack, pack.error)
    return built
