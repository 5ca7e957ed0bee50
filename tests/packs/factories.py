"""Packs test data: a quiz with one question of each kind, and a class with an assignment."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from reelearn.classroom.models import (
    Assignment,
    AssignmentPupil,
    Classroom,
    ClassTeacher,
    Membership,
)
from reelearn.quizzes.models import Choice, Question, Quiz

from ..factories import PupilFactory

# Words that only the answer key or marking guide carry: never in a student edition.
KEY_SECRETS = ("ACCEPTEDSECRET", "MARKINGGUIDESECRET", "EXPLANATIONSECRET")


def make_quiz(page, *, title: str = "Rare earths quiz") -> Quiz:
    """A live quiz on `page` with a question of every kind."""
    quiz = Quiz.objects.create(
        title=title, page=page, intro="Answer on your own.", shuffle_choices=False
    )

    def question(kind, prompt, points=1, choices=(), **fields):
        q = Question.objects.create(
            quiz=quiz,
            kind=kind,
            prompt=f"<p>{prompt}</p>",
            points=points,
            sort_order=quiz.questions.count(),
            **fields,
        )
        for n, (text, correct, match) in enumerate(choices):
            Choice.objects.create(
                question=q, text=text, is_correct=correct, match_text=match, sort_order=n
            )
        return q

    question(
        "single",
        "How many rare earth elements are there?",
        choices=[("Seventeen", True, ""), ("Five", False, "")],
        explanation="EXPLANATIONSECRET the family has 17 members.",
    )
    question(
        "multiple",
        "Which are rare earth elements?",
        points=2,
        choices=[("Neodymium", True, ""), ("Iron", False, ""), ("Cerium", True, "")],
    )
    question("true_false", "Rare earths are metals.", answer_bool=True)
    question("short_text", "Name the magnet metal.", accepted_answers="ACCEPTEDSECRET\nNd")
    question("numeric", "How many tonnes?", numeric_answer=Decimal(270), unit="kt")
    question(
        "ordering",
        "Put the steps in order.",
        choices=[("Mine", False, ""), ("Separate", False, ""), ("Make magnets", False, "")],
    )
    question(
        "matching",
        "Match each metal to its job.",
        choices=[("Neodymium", False, "Magnets"), ("Europium", False, "Red light")],
    )
    question(
        "open",
        "Should a country mine its own rare earths? Explain.",
        points=4,
        marking_guide="MARKINGGUIDESECRET two sides, one reason each.",
    )
    return quiz


def make_class(teacher, *, pupils: int = 3, name: str = "7R Science") -> Classroom:
    classroom = Classroom.objects.create(
        name=name,
        year_group="Year 8",
        join_code=f"ACD{Classroom.objects.count():05d}".replace("0", "E").replace("1", "F"),
    )
    ClassTeacher.objects.create(classroom=classroom, teacher=teacher, role=ClassTeacher.Role.OWNER)
    for n in range(pupils):
        Membership.objects.create(
            classroom=classroom, pupil=PupilFactory(display_name=f"Pupil{n}Name")
        )
    return classroom


def make_assignment(classroom, page, *, title: str = "Magnets week") -> Assignment:
    assignment = Assignment.objects.create(
        classroom=classroom,
        page=page,
        tier="t1",
        title=title,
        status=Assignment.Status.ASSIGNED,
        assigned_at=timezone.now(),
    )
    AssignmentPupil.objects.bulk_create(
        [
            AssignmentPupil(assignment=assignment, pupil=m.pupil)
            for m in classroom.memberships.select_related("pupil")
        ]
    )
    return assignment


def make_raster(*, size=(2400, 1600), title: str = "Big photo"):
    """A large PNG, the kind that costs WeasyPrint seconds unless downscaled to a JPEG."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image

    from lessons.models import CurriculumImage

    buffer = io.BytesIO()
    Image.new("RGB", size, (160, 40, 40)).save(buffer, "PNG")
    return CurriculumImage.objects.create(
        title=title,
        file=ImageFile(buffer, name="big.png"),
        credit="PHOTOCREDIT Studio",
        licence="CC BY 4.0",
    )


def make_svg(*, name: str = "supply-chain.svg"):
    from pathlib import Path

    from django.conf import settings
    from django.core.files import File

    from lessons.models import CurriculumImage

    path = Path(settings.BASE_DIR) / "lessons" / "curriculum" / "images" / name
    with path.open("rb") as handle:
        return CurriculumImage.objects.create(
            title="Supply chain",
            file=File(handle, name=name),
            width=800,
            height=450,
            credit="REElearn",
        )


def add_pictures(lesson, raster, svg):
    """Append an image and a diagram to a lesson and publish it. Returns the fresh lesson."""
    from lessons.models import LessonPage

    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body.append(
        (
            "image",
            {
                "image": raster,
                "alt": "A red rectangle",
                "caption": "A big photo",
                "credit": "PHOTOCREDIT Studio",
                "licence": "CC BY 4.0",
            },
        )
    )
    lesson.body.append(
        (
            "diagram",
            {
                "image": svg,
                "alt": "Mine to magnet",
                "caption": "The supply chain",
                "credit": "REElearn",
                "licence": "CC BY 4.0",
                "long_description": "DIAGRAMTEXT mine, separate, magnet.",
            },
        )
    )
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)
