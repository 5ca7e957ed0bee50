"""A pupil's whole journey in their own language, on a phone (issue 23): from a Burmese login
card to a Burmese lesson, its quiz and feedback; the teacher sees the result beside English
answers and downloads the Burmese student pack. The same in Spanish, without the pack; search
finds lessons by a Burmese and a Spanish word. The content is the repository's own translation
files, loaded as `make run` loads them. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lessons.models import LessonPage, ModuleTierPage
from reelearn.classroom import services
from reelearn.curriculum.loader import CURRICULUM_DIR
from reelearn.quizzes.models import Attempt, Choice, Question, Quiz
from tests.factories import PASSWORD, TeacherFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
WANTED = ("module/m1.po", "tier/m1/t1.po", "lesson/m1/t1/", "quiz/m1/t1.po")


@pytest.fixture
def module_one(transactional_db, tmp_path_factory):
    """Module 1 in English, with its ages 7-11 translations into Burmese and Spanish."""
    root = tmp_path_factory.mktemp("curriculum") / "curriculum"
    shutil.copytree(
        CURRICULUM_DIR,
        root,
        ignore=shutil.ignore_patterns("*.py", "*.md", "m[2-9]", "routes.yaml", "t[234].yaml"),
    )
    for path in (root / "translations").rglob("*.po"):
        name = path.relative_to(root / "translations").as_posix().split("/", 1)[1]
        if not name.startswith(WANTED):
            path.unlink()
    call_command("load_curriculum", path=root)
    tier = ModuleTierPage.objects.get(tier="t1", locale__language_code="en")
    return {"tier": tier, "quiz": Quiz.objects.live().get(source_key="m1/t1")}


@pytest.fixture
def school(module_one):
    teacher = TeacherFactory(username="rivera", display_name="Ms Rivera")
    classroom = services.classroom_create(teacher=teacher, name="Year 5", default_tier="t1")
    made = services.pupils_create(classroom=classroom, names=["Ko Aung", "Ana P.", "Ben T."])
    pupils = {}
    for credential, language in zip(made, ("my", "es", "en"), strict=True):
        credential.user.language = language
        credential.user.save()
        pupils[language] = credential
    # The module set for each pupil in their language (one assignment per language).
    for language in ("my", "es", "en"):
        assignment = services.assignment_create(
            classroom=classroom,
            created_by=teacher,
            page=module_one["tier"],
            audience="pupils",
            pupil_ids=[pupils[language].user.pk],
            language=language,
        )
        services.assignment_assign(assignment=assignment)
    return {"teacher": teacher, "classroom": classroom, "pupils": pupils}


def words(quiz: Quiz, language: str, question: Question) -> tuple[str, str]:
    """(the question's prompt, its correct choice's text) in `language`."""
    local = Question.objects.get(
        translation_key=question.translation_key, locale__language_code=language
    )
    right = question.choices.get(is_correct=True, retired=False)
    choice = Choice.objects.get(
        translation_key=right.translation_key, locale__language_code=language
    )
    return local.prompt_text, choice.text


def sign_in_from_card(page, base: str, credential, language: str) -> None:
    # The card's QR code: the sign-in page in the pupil's language.
    page.goto(f"{base}/language/{language}/?next=/accounts/sign-in/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("input[name=login]").fill(credential.username)
    page.locator("input[name=password]").fill(credential.password)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/my-work/"))


def take_the_quiz(page, base: str, quiz: Quiz, language: str) -> str:
    first = quiz.questions.filter(retired=False, kind="single").first()
    prompt, right = words(quiz, language, first)
    page.goto(f"{base}/my-work/quizzes/{quiz.pk}/")
    start = page.locator(f"form[action$='/quizzes/{quiz.pk}/start/'] button[type=submit]")
    assert start.count() == 1, page.locator("main").inner_text()
    start.click()
    expect(page.locator("#quiz-form")).to_be_visible()
    expect(page.locator("#quiz-form")).to_contain_text(prompt)
    title = Quiz.objects.get(translation_key=quiz.translation_key, locale__language_code=language)
    expect(page.get_by_role("heading", level=1)).to_have_text(title.title)
    # Until the language's reviewers approve it, readers are told it is a draft translation.
    expect(page.locator(".translation-notice")).to_have_count(0 if language == "en" else 1)
    page.locator(f"fieldset#q{first.pk}").get_by_text(right, exact=True).click()
    page.locator("#review-button").click()
    page.locator("#submit-button").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    return right


def test_a_burmese_and_a_spanish_pupil_learn_in_their_own_language(
    live_server, browser, module_one, school, shot, tmp_path
):
    base = live_server.url
    quiz = module_one["quiz"]
    lesson = LessonPage.objects.filter(tier="t1", locale__language_code="en").order_by("path")[0]

    for language in ("my", "es"):
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        page = context.new_page()
        sign_in_from_card(page, base, school["pupils"][language], language)
        assert page.locator("html").get_attribute("lang") == language
        shot(page, f"lang-{language}-1-my-work")
        # The assigned lesson opens in the pupil's language.
        translated = lesson.get_translation(
            lesson.locale.__class__.objects.get(language_code=language)
        )
        page.locator(f"a[href='{translated.url}']").first.click()
        expect(page).to_have_url(re.compile(rf"/{language}/curriculum/"))
        expect(page.get_by_role("heading", level=1)).to_have_text(translated.title)
        assert page.locator("html").get_attribute("lang") == language
        no_sideways = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert no_sideways
        shot(page, f"lang-{language}-2-lesson")
        if language == "my":
            # Drawn in a Myanmar font the phone has, not boxes.
            fonts = subprocess.run(
                ["fc-list", ":lang=my", "family"], capture_output=True, text=True
            )
            assert "Myanmar" in fonts.stdout
            family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
            assert "Noto Sans Myanmar" in family
            # An English word inside the Burmese text says it is English.
            english = page.locator("main span[lang=en]").first
            assert re.fullmatch(r"[A-Za-z][\w ,.:/’'-]*", english.inner_text())
        right = take_the_quiz(page, base, quiz, language)
        shot(page, f"lang-{language}-3-feedback")
        attempt = Attempt.objects.get(pupil=school["pupils"][language].user, quiz=quiz)
        assert attempt.language == language and attempt.status == "submitted"
        assert attempt.score and attempt.score > 0
        result = page.locator("main").inner_text()
        assert right in result
        context.close()

    # An English classmate's answers go to the same quiz.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in_from_card(page, base, school["pupils"]["en"], "en")
    take_the_quiz(page, base, quiz, "en")
    context.close()

    # The teacher: one gradebook for every language; the Burmese student pack.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/accounts/sign-in/")
    page.locator("input[name=login]").fill("rivera")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{base}/classes/{school['classroom'].pk}/gradebook/")
    table = page.locator("main").inner_text()
    for language in ("my", "es", "en"):
        assert school["pupils"][language].user.display_name in table
    shot(page, "lang-teacher-results")
    burmese_tier = module_one["tier"].get_translation(
        module_one["tier"].locale.__class__.objects.get(language_code="my")
    )
    page.goto(f"{base}/packs/page/{burmese_tier.pk}/")
    slot = page.locator("#pack-student-a4")
    slot.locator("button[type=submit]").click()
    slot = page.locator("#pack-student-a4")
    with page.expect_download() as info:
        slot.locator("a[href$='/download/']").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert re.search("[\u1000-\u109f]", text.decode())  # Burmese, as Unicode
    context.close()

    # Search finds the translated lesson by a word of its own language.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for language, word in (("my", "မိသားစု"), ("es", "familia")):
        page.goto(f"{base}/{language}/search/?q={word}")
        translated = lesson.get_translation(
            lesson.locale.__class__.objects.get(language_code=language)
        )
        expect(page.locator(f"ol.results a[href='{translated.url}']")).to_be_visible()
    context.close()
