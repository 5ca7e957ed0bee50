"""Translations kept beside the curriculum as PO files: exported for translators, loaded by
load_curriculum into wagtail-localize, idempotently; a translated quiz grades as the English."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from lessons.models import LessonPage, Term
from reelearn.curriculum.loader import CURRICULUM_DIR
from reelearn.quizzes.models import Attempt, Question, Quiz

pytestmark = pytest.mark.django_db

LESSON = "lesson:m1/t1/meet-the-family"


def one_module(tmp_path: Path) -> Path:
    """The curriculum with module 1 only (fast to load), no routes, no translations."""
    root = tmp_path / "curriculum"
    shutil.copytree(
        CURRICULUM_DIR,
        root,
        ignore=shutil.ignore_patterns("*.py", "*.md", "m[2-9]", "translations", "routes.yaml"),
    )
    return root


def burmese(text: str) -> str:
    return f"မြန်မာ {text}"


def fill(path: Path, *, leave: str | None = None) -> list[str]:
    po = polib.pofile(str(path))
    for entry in po:
        if entry.comment != "slug" and entry.msgid != leave:
            entry.msgstr = burmese(entry.msgid)
    po.save(str(path))
    return [entry.msgid for entry in po]


def load(root, on_commit):
    # wagtail-localize publishes a translation once its transaction commits.
    with on_commit(execute=True):
        call_command("load_curriculum", path=root)


def test_a_translation_file_loads_as_a_page_and_a_quiz_read_in_burmese(
    tmp_path, capsys, client, pupil, django_capture_on_commit_callbacks
):
    root = one_module(tmp_path)
    on_commit = django_capture_on_commit_callbacks
    load(root, on_commit)
    call_command("export_translations", "my", LESSON, "quiz:m1/t1", "term:metal", path=root)
    out = capsys.readouterr().out
    lesson_file = root / "translations/my/lesson/m1/t1/meet-the-family.po"
    quiz_file = root / "translations/my/quiz/m1/t1.po"
    assert lesson_file.exists() and quiz_file.exists()
    assert "lesson/m1/t1/meet-the-family.po: 0/" in out
    # Block ids differ in every database: the hints name fields only.
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", lesson_file.read_text())

    english = LessonPage.objects.get(slug="meet-the-family", tier="t1")
    untouched = (
        "Think about your family. You all have your own names. But you are alike in lots of ways."
    )
    strings = fill(lesson_file, leave=untouched)
    assert untouched in strings
    fill(quiz_file)
    fill(root / "translations/my/term/metal.po")

    load(root, on_commit)
    assert "Translations: 3 translations loaded, 0 unchanged" in capsys.readouterr().out
    page = LessonPage.objects.get(
        translation_key=english.translation_key, locale__language_code="my"
    )
    assert page.live and page.url.startswith("/my/curriculum/")
    html = client.get(page.url).content.decode()
    assert '<html lang="my"' in html
    assert burmese(english.title) in html
    # Not translated: shown in English (marked lang="en" inside the Burmese), not left out.
    assert untouched in re.sub(r"<[^>]+>", "", html)
    assert Term.objects.get(slug="metal", locale__language_code="my").term == burmese(
        Term.objects.get(slug="metal", locale__language_code="en").term
    )

    # A second run changes nothing; a changed file loads again.
    load(root, on_commit)
    assert "0 translations loaded, 3 unchanged" in capsys.readouterr().out
    po = polib.pofile(str(lesson_file))
    po.find(english.title).msgstr = "မိသားစုနှင့် တွေ့ဆုံခြင်း"
    po.save(str(lesson_file))
    load(root, on_commit)
    assert "1 translations loaded, 2 unchanged" in capsys.readouterr().out
    assert "မိသားစုနှင့် တွေ့ဆုံခြင်း" in client.get(page.url).content.decode()

    # A pupil reading Burmese takes the English quiz in Burmese words; it scores the same.
    quiz = Quiz.objects.live().get(source_key="m1/t1")
    quiz.open_for_practice = True
    quiz.save()
    pupil.language = "my"
    pupil.save()
    client.force_login(pupil)
    response = client.post(f"/my-work/quizzes/{quiz.pk}/start/", follow=True)
    attempt = Attempt.objects.get(pupil=pupil, quiz=quiz)
    assert attempt.language == "my"
    html = response.content.decode()
    first = quiz.questions.filter(retired=False).first()
    assert burmese(first.prompt_text) in html
    assert first.prompt_text not in html.replace(burmese(first.prompt_text), "")
    # The translation is words only: no second quiz to take, and its questions are not live.
    assert Quiz.objects.live().filter(source_key="m1/t1").count() == 1
    assert Question.objects.filter(translation_key=first.translation_key).count() == 2
