from __future__ import annotations

import shutil

import pytest

from lessons.models import LessonPage, ModuleTierPage

from .factories import make_quiz


def pytest_collection_modifyitems(config, items):
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        raise pytest.UsageError(
            "The pack tests read PDFs with poppler-utils (apt-get install poppler-utils)"
        )


@pytest.fixture
def tier_page(curriculum):
    """The t1 module-tier of the shared curriculum (two lessons, guides), with a live quiz.
    Read fresh from the database, as a view would."""
    page = curriculum["tier_pages"]["t1"]
    make_quiz(page)
    return ModuleTierPage.objects.get(pk=page.pk)


@pytest.fixture
def lesson(curriculum, tier_page):
    return LessonPage.objects.get(pk=curriculum["lessons"]["t1"][0].pk)


@pytest.fixture
def other_lesson(curriculum, tier_page):
    return LessonPage.objects.get(pk=curriculum["lessons"]["t1"][1].pk)
