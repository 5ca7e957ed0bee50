"""An editor translates a lesson with every block kind into Burmese in the admin (issue 22):
wagtail-localize's "Translate" action and its editor for a few strings, a PO file for the rest,
publish; a visitor reads it in Burmese under the draft notice; the English changes, the
translation status report shows it out of date with what changed, and its "Sync translations"
link brings it up to date. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime
import re

import polib
import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect
from wagtail.models import Locale
from wagtail_localize.operations import translate_object

from lessons.models import CurriculumImage, LessonPage
from tests.factories import EditorFactory, make_curriculum
from tests.lessons.test_block_translation import WORDS, every_block, png

from .editor_admin import TIMEOUT, field, footer_action, sign_in, wait_for_editor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT = "/admin/reports/translation-status/"
MY = "မြန်မာ "  # the PO file's Burmese: this prefix before each English string
TYPED = {  # typed in wagtail-localize's editor, string by string
    "Lesson 1 (t1)": "ရှားပါးမြေ သင်ခန်းစာ ၁",
    "I can name two rare earth elements.": "ရှားပါးမြေဒြပ်စင် နှစ်မျိုးကို အမည်ပေးနိုင်သည်။",
}
CHANGED = "Rare earth elements are a family of 17 metals, found in clay."
COMPLETE = re.compile(r"(^|\s)complete(\s|$)")


@pytest.fixture
def lesson(transactional_db):
    """A published lesson whose body has every block kind; its parent pages (home, curriculum,
    module, tier) already translated into Burmese with wagtail-localize and published."""
    curriculum = make_curriculum(tiers=("t1",), lessons_per_tier=1)
    lesson = curriculum["lessons"]["t1"][0]
    image = CurriculumImage.objects.create(title="Magnet", file=png())
    body = every_block(curriculum["sources"][0], curriculum["terms"][0], image)
    for kind, value in body:
        if kind == "fact":  # publishable from the admin: a fact needs its review date
            value["reviewed"] = datetime.date(2026, 11, 1)
    lesson.body = body
    lesson.save_revision().publish()
    burmese, _ = Locale.objects.get_or_create(language_code="my")
    for ancestor in lesson.get_ancestors().filter(depth__gte=2).specific():
        translate_object(ancestor, [burmese])
    return LessonPage.objects.get(pk=lesson.pk)


def segment(page: Page, source: str) -> Locator:
    """One string in wagtail-localize's editor: the list item showing its English."""
    return page.locator("li:is(.complete, .incomplete, .errored)").filter(
        has=page.get_by_text(source, exact=True)
    )


def type_translation(page: Page, source: str, text: str) -> None:
    item = segment(page, source)
    item.get_by_role("button", name="Translate").click()
    item.locator("textarea").fill(text)
    item.get_by_role("button", name="Save").click()
    expect(item).to_have_class(COMPLETE, timeout=TIMEOUT)
    expect(item).to_contain_text(text)


def fill_po(path) -> dict[str, str]:
    """Burmese for every string the PO file leaves untranslated; returns what it already had."""
    po = polib.pofile(str(path))
    had = {entry.msgid: entry.msgstr for entry in po if entry.msgstr}
    for entry in po:
        if not entry.msgstr:
            entry.msgstr = MY + entry.msgid
    po.save(str(path))
    assert len(po) - len(had) > len(WORDS)  # every block's words, and more
    return had


def report_row(page: Page, base: str, title: str) -> Locator:
    page.goto(f"{base}{REPORT}?language=my")
    rows = page.locator("table.translation-status tbody tr")
    return rows.filter(has=page.get_by_role("link", name=title, exact=True))


def test_an_editor_translates_a_lesson_into_burmese_and_syncs_it_after_an_english_change(
    live_server, browser, page, lesson, shot, tmp_path
):
    base = live_server.url
    EditorFactory(username="editor")
    burmese_locale = Locale.objects.get(language_code="my")
    sign_in(page, base, "editor")

    # 1. The page's "Translate" action (header "Actions" menu) → Burmese → the translation editor.
    page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
    wait_for_editor(page)
    page.locator("header").get_by_role("button", name="Actions").first.click()
    page.get_by_role("link", name="Translate this page").click()
    expect(page.get_by_role("heading", name=re.compile("Translate page"))).to_be_visible()
    page.locator(f"input[name=locales][value='{burmese_locale.pk}']").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("successfully submitted for translation")).to_be_visible()
    burmese = lesson.get_translation(burmese_locale)
    expect(page).to_have_url(re.compile(rf"/admin/pages/{burmese.pk}/edit/"))
    for source, text in TYPED.items():
        type_translation(page, source, text)
    shot(page, "1-typed")

    # 2. Download the PO file, translate every other string, upload it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PO file").click()
    po_path = tmp_path / "lesson.po"
    download.value.save_as(po_path)
    assert fill_po(po_path) == TYPED  # the file carries what was typed in the editor
    upload = page.locator("form[action$='/pofile/upload/'] input[type=file]").first
    with page.expect_navigation(timeout=TIMEOUT):
        upload.set_input_files(po_path)
    expect(page.get_by_text("Successfully imported translations from PO File")).to_be_visible()
    expect(page.locator("li.incomplete")).to_have_count(0)
    expect(segment(page, WORDS["fact"])).to_contain_text(MY + WORDS["fact"])
    shot(page, "2-po-uploaded")

    # 3. Publish; a visitor reads the Burmese lesson, with the draft notice. (Translating a
    # live page published an English copy at once; the strings reach it on publishing.)
    visitor = browser.new_context(locale="my")
    reader = visitor.new_page()
    reader.goto(f"{base}{burmese.url}")
    expect(reader.get_by_role("heading", level=1)).to_have_text(lesson.title)
    with page.expect_navigation(timeout=TIMEOUT):
        page.get_by_role("button", name=re.compile(r"^Publish in ")).click()
    # (With a string left untranslated it would say "… with missing translations".)
    published = f"Published '{TYPED['Lesson 1 (t1)']}' in {burmese_locale.get_display_name()}."
    expect(page.get_by_text(published, exact=True)).to_be_visible()
    reader.reload()
    shot(reader, "3-burmese-lesson")
    assert reader.locator("html").get_attribute("lang") == "my"
    expect(reader.get_by_role("heading", level=1)).to_have_text(TYPED["Lesson 1 (t1)"])
    main = reader.locator("main")
    expect(main).to_contain_text(TYPED["I can name two rare earth elements."])
    words = main.text_content()  # with the diagram's closed description
    for kind, english in WORDS.items():
        if kind != "image":
            assert MY + english in words, f"the {kind} block is not in Burmese"
    expect(main.locator(f"img[alt='{MY}{WORDS['image']}']")).to_have_count(1)
    with translation.override("my"):
        notice = translation.gettext("Draft translation — not yet reviewed")
    expect(reader.get_by_role("note").filter(has_text=notice)).to_be_visible()

    # 4. The English paragraph changes and is published: the report shows Burmese out of date.
    page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
    wait_for_editor(page)
    paragraph = field(page, "body-0-value").locator("xpath=..").get_by_role("textbox")
    paragraph.click()
    paragraph.press("ControlOrMeta+a")
    paragraph.press_sequentially(CHANGED)
    expect(paragraph).to_have_text(CHANGED)
    # Draftail copies its content into the form's input a moment after the last keystroke.
    expect(field(page, "body-0-value")).to_have_value(re.compile(re.escape(CHANGED)))
    footer_action(page, "Publish")
    expect(page.get_by_text(re.compile("has been published"))).to_be_visible()
    row = report_row(page, base, lesson.title)
    cell = row.locator("td[data-language=my]")
    expect(cell).to_have_attribute("data-status", "out_of_date")
    expect(cell.locator(".status")).to_have_text("Out of date")
    changes = row.locator("details.changes")
    expect(changes.locator("del")).to_have_text(WORDS["text"])
    expect(changes.locator("ins")).to_have_text(CHANGED)
    shot(page, "4-out-of-date")

    # 5. "Sync translations" → wagtail-localize's update view, publishing: up to date again.
    row.get_by_role("link", name="Sync translations").click()
    expect(
        page.get_by_role("heading", name=re.compile("Update existing translations"))
    ).to_be_visible()
    page.get_by_label("Publish immediately").check()
    with page.expect_navigation(timeout=TIMEOUT):
        page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(re.escape(REPORT)))
    row = report_row(page, base, lesson.title)
    cell = row.locator("td[data-language=my]")
    expect(cell).to_have_attribute("data-status", "up_to_date")
    expect(cell.locator(".status")).to_have_text("Up to date")
    expect(row.locator("details.changes")).to_have_count(0)
    shot(page, "5-synced")
    # wagtail-localize published the Burmese page with the new English standing in for the
    # one string nobody has translated yet; everything translated before is kept.
    reader.reload()
    expect(main).to_contain_text(CHANGED)
    expect(main).not_to_contain_text(MY + WORDS["text"])
    expect(main).to_contain_text(MY + WORDS["fact"])
    expect(reader.get_by_role("heading", level=1)).to_have_text(TYPED["Lesson 1 (t1)"])
    shot(reader, "5-burmese-lesson-synced")
    # In the translation editor that string is the only one left to translate.
    page.goto(f"{base}/admin/pages/{burmese.pk}/edit/")
    expect(page.locator("li.incomplete")).to_have_count(1)
    expect(segment(page, CHANGED)).to_have_class(re.compile("incomplete"))
    visitor.close()
