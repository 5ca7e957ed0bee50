"""A module's zip: every lesson's student pack, built by the same pipeline."""

from __future__ import annotations

import io
import zipfile

import pytest

from reelearn.packs.models import Pack

from .helpers import build, has, pdf_text

# The zip's parts and their text; no ids read: PDFs shared (tests/packs/shared_renders.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_pdfs")]


def test_the_zip_holds_each_lessons_student_pack(
    tier_page, lesson, django_capture_on_commit_callbacks
):
    lesson_pack = build(
        django_capture_on_commit_callbacks, page=lesson, edition="student", paper="a4"
    )
    pack = build(
        django_capture_on_commit_callbacks,
        page=tier_page,
        edition="student",
        paper="a4",
        zipped=True,
    )
    assert pack.status == Pack.Status.READY, pack.error
    assert pack.download_name().endswith("-student-a4.zip")
    with pack.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert names == ["01-lesson-1-a4.pdf", "02-lesson-2-a4.pdf"]
    first, second = (archive.read(name) for name in names)
    # The stored, current lesson pack is reused as it is.
    with lesson_pack.file.open("rb") as handle:
        assert first == handle.read()
    text = pdf_text(None, second)
    assert has(text, "Lesson 2 (t1)") and not has(text, "TEACHER-GUIDE-SECRET")
    assert pack.page_count == lesson_pack.page_count + sum(
        1 for _ in __import__("pypdf").PdfReader(io.BytesIO(second)).pages
    )
