"""What the built PDFs say, read with pdftotext, pdffonts and pypdf: not what we meant to say."""

from __future__ import annotations

import pytest
from pypdf.generic import NameObject

from lessons.models import LessonPage
from reelearn.packs.models import Pack

from .factories import KEY_SECRETS, add_pictures, make_quiz, make_raster, make_svg
from .helpers import build, has, pdf_fonts, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

TEACHER_ONLY = (
    "TEACHER-GUIDE-SECRET",
    "MODULE-GUIDE-SECRET",
    "Mentions polluted rivers",
    "Answer key and marking scheme",
    "Marking scheme",
    *KEY_SECRETS,
)


@pytest.mark.usefixtures("shared_pdfs")  # reads an unchanged pack: shared render
def test_student_edition_has_the_lessons_and_no_teacher_material(
    tier_page, curriculum, django_capture_on_commit_callbacks
):
    pack = build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")
    assert pack.status == Pack.Status.READY, pack.error
    text = pdf_text(pack)
    for phrase in (
        "Student edition",
        "Contents",
        "Lesson 1 (t1)",
        "Lesson 2 (t1)",
        "Fact number 0 about rare earths",
        "Rare earth elements are a family",
        "Mine production",
        "China mined the most",
        "Worksheet: Lesson 1 (t1)",
        "Glossary",
        f"Simple words for {curriculum['terms'][0].term}.",
        "Quiz: Rare earths quiz",
        "How many rare earth elements are there?",
        "Name:",
        "Sources",
        "Report number",
        "CC BY 4.0",
        "Licence and credits",
    ):
        assert has(text, phrase), phrase
    for secret in TEACHER_ONLY:
        assert not has(text, secret), secret


@pytest.mark.usefixtures("shared_pdfs")  # reads an unchanged pack: shared render
def test_teacher_edition_adds_guides_timings_answer_key_and_marking_scheme(
    tier_page, django_capture_on_commit_callbacks
):
    pack = build(django_capture_on_commit_callbacks, page=tier_page, edition="teacher", paper="a4")
    assert pack.status == Pack.Status.READY, pack.error
    text = pdf_text(pack)
    for phrase in (
        "Teacher edition",
        "Lesson 1 (t1)",
        "Quiz: Rare earths quiz",
        "Timings",
        "Seventeen",
        "Neodymium; Cerium",
        "Mine → Separate → Make magnets",
        "Neodymium – Magnets",
        "Total12",
        *TEACHER_ONLY,
    ):
        assert has(text, phrase), phrase


@pytest.mark.usefixtures("shared_pdfs")  # reads an unchanged pack: shared render
def test_fonts_are_noto_and_embedded(tier_page, django_capture_on_commit_callbacks):
    pack = build(django_capture_on_commit_callbacks, page=tier_page, edition="teacher", paper="a4")
    fonts = pdf_fonts(pack)
    names = [f["name"] for f in fonts]
    # Our @font-face (Noto Sans files, named "REElearn Sans") is used, not silently ignored.
    assert any("REElearn-Sans" in name for name in names), names
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert all("REElearn" in name or "Noto" in name for name in names), names


@pytest.mark.usefixtures("shared_pdfs")  # reads an unchanged pack: shared render
@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_size_and_a_sensible_page_count(
    tier_page, django_capture_on_commit_callbacks, paper, size
):
    pack = build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper=paper)
    reader = pdf_reader(pack)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    # Cover, contents, 2 lessons (2-3 pages each), worksheets, glossary, quiz, sources, licence.
    assert 9 <= len(reader.pages) <= 30
    assert pack.page_count == len(reader.pages)
    assert pack.file_size == pack.file.size


@pytest.mark.usefixtures("shared_pdfs")  # reads an unchanged pack: shared render
def test_lesson_pack_has_its_own_lesson_and_the_quiz_of_its_slot(
    lesson, django_capture_on_commit_callbacks
):
    pack = build(django_capture_on_commit_callbacks, page=lesson, edition="student", paper="a4")
    assert pack.kind == Pack.Kind.LESSON
    text = pdf_text(pack)
    assert has(text, "Lesson 1 (t1)")
    assert not has(text, "Lesson 2 (t1)")
    assert has(text, "Lesson pack")
    # The lesson body has a quiz slot, so the module-tier's quiz comes as a paper sheet.
    assert has(text, "Quiz: Rare earths quiz")


@pytest.mark.usefixtures("shared_pdfs")  # reads an unchanged pack: shared render
def test_older_pupils_get_the_full_definitions(curriculum, django_capture_on_commit_callbacks):
    tier_page = curriculum["tier_pages"]["t3"]
    pack = build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")
    text = pdf_text(pack)
    term = curriculum["terms"][0].term
    assert has(text, f"The full definition of {term}")
    assert not has(text, f"Simple words for {term}")
    # No quiz on this module-tier: no quiz sheet, and the slot says nothing false.
    assert not has(text, "Quiz: ")
    assert not has(text, "on its own sheet")


def test_pictures_are_print_sized_jpegs_and_diagrams_stay_vector(
    lesson, django_capture_on_commit_callbacks
):
    add_pictures(lesson, make_raster(), make_svg())
    pack = build(django_capture_on_commit_callbacks, page=lesson, edition="student", paper="a4")
    assert pack.status == Pack.Status.READY, pack.error
    text = pdf_text(pack)
    assert has(text, "A big photo") and has(text, "The supply chain")
    assert has(text, "DIAGRAMTEXT mine, separate, magnet.")  # the text version, printed
    assert has(text, "PHOTOCREDIT Studio")  # credited on the licence page
    rasters = {}
    for page in pdf_reader(pack).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/XObject") or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == NameObject("/Image"):
                rasters[ref.idnum] = obj  # pages may share one resource dictionary
    rasters = list(rasters.values())
    # One raster: the photo, downscaled from 2400 px and re-encoded as JPEG. The SVG diagram
    # is drawn as vectors.
    assert len(rasters) == 1
    assert rasters[0]["/Width"] <= 1400
    assert rasters[0]["/Filter"] == "/DCTDecode"


def test_a_missing_picture_fails_the_build_with_a_readable_message(
    lesson, django_capture_on_commit_callbacks
):
    raster = make_raster()
    add_pictures(lesson, raster, make_svg())
    raster.file.storage.delete(raster.file.name)
    raster.renditions.all().delete()
    pack = build(django_capture_on_commit_callbacks, page=lesson, edition="student", paper="a4")
    assert pack.status == Pack.Status.FAILED
    assert "picture's original file is missing" in pack.error
    assert not pack.file


def test_quiz_of_a_lesson_itself_is_printed_in_its_lesson_pack(
    other_lesson, django_capture_on_commit_callbacks
):
    make_quiz(other_lesson, title="Lesson two check-up")
    pack = build(
        django_capture_on_commit_callbacks,
        page=LessonPage.objects.get(pk=other_lesson.pk),
        edition="student",
        paper="a4",
    )
    text = pdf_text(pack)
    assert has(text, "Quiz: Lesson two check-up")
    assert not has(text, "Quiz: Rare earths quiz")
