"""Packs in the language of their pages: the document's language, the fonts, Burmese that wraps
inside its text box (ICU's line breaks), and a pack per language."""

from __future__ import annotations

import pytest
from myanmartools import ZawgyiDetector
from wagtail.models import Locale, Page

from lessons.models import CurriculumIndexPage, LessonPage
from reelearn.packs.content import content_hash, load_page_content
from reelearn.packs.linebreak import ZWSP, break_burmese, insert_burmese_breaks
from reelearn.packs.models import Pack
from reelearn.packs.rendering import html_to_pdf, render_html
from tests.factories import make_curriculum

from .helpers import build, pdf_bytes, pdf_fonts, pdf_lines, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

MARGIN = 16 * 72 / 25.4  # static/css/pack.css: the page's left and right margins, in points
TOLERANCE = 1.0  # points: glyph overhang and rounding

# Four sentences about rare earths, in Unicode Burmese as it is often written: spaces only
# between sentences, so nothing but a dictionary finds where a line may break.
BURMESE = (
    "ရှားပါးမြေဒြပ်စင်များသည်လျှပ်စစ်ကားများ၊လေရဟတ်များနှင့်မိုဘိုင်းဖုန်းများထဲရှိ"
    "အားကောင်းသောသံလိုက်များကိုပြုလုပ်ရာတွင်အသုံးပြုသည့်သတ္တုဒြပ်စင်ဆယ့်ခုနစ်မျိုးဖြစ်ပြီး"
    "သန့်ရှင်းသောစွမ်းအင်သို့ကူးပြောင်းရာတွင်အလွန်အရေးကြီးသည်။ "
    "ကမ္ဘာ့ရှားပါးမြေထုတ်လုပ်မှု၏အစိတ်အပိုင်းကြီးတစ်ခုသည်မြန်မာနိုင်ငံ၊ကချင်ပြည်နယ်ရှိ"
    "စည်းမျဉ်းစည်းကမ်းမရှိသောသတ္တုတွင်းများမှလာပြီးထိုသတ္တုများကိုတရုတ်နိုင်ငံသို့ပို့ဆောင်ကာ"
    "သန့်စင်သည်။ "
    "ထိုသတ္တုတွင်းများတွင်ဓာတုပစ္စည်းများကိုတောင်ကုန်းများထဲသို့ထိုးသွင်းသဖြင့်မြစ်ချောင်းများ"
    "နှင့်လယ်ယာမြေများညစ်ညမ်းပြီးဒေသခံပြည်သူများ၏ကျန်းမာရေးနှင့်အသက်မွေးဝမ်းကျောင်းမှုကို"
    "ထိခိုက်စေသည်။ "
    "တရားမျှတသောစွမ်းအင်ကူးပြောင်းမှုဆိုသည်မှာကျွန်ုပ်တို့အသုံးပြုသောပစ္စည်းများအတွက်"
    "သတ္တုတူးဖော်သည့်နေရာများတွင်နေထိုင်သောလူများ၏အခွင့်အရေးများကိုလည်းကာကွယ်ပေးရမည်ဟု"
    "ဆိုလိုသည်။"
)
BURMESE_TITLE = "ရှားပါးမြေဒြပ်စင်များနှင့် ကချင်ပြည်နယ်"
CHINESE = "稀土元素是十七种金属，用于制造电动汽车和风力涡轮机中的强力磁铁。"


def is_myanmar(char: str) -> bool:
    return "\u1000" <= char <= "\u109f"


def translated_lesson(language: str, *, title: str, text: str) -> LessonPage:
    """A module written in another language, as a translator makes it: the curriculum index
    copied into the locale, a module-tier and lesson there, the lesson's text replaced."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    english_index = CurriculumIndexPage.objects.get(locale__language_code="en")
    index = english_index.copy_for_translation(locale, copy_parents=True)
    curriculum = make_curriculum(
        index=index, code=f"{language[:2]}1", tiers=("t1",), lessons_per_tier=1
    )
    lesson = LessonPage.objects.get(pk=curriculum["lessons"]["t1"][0].pk)
    assert lesson.locale == locale  # a page takes its parent's locale
    lesson.title = title
    lesson.body = [("text", f"<p>{text}</p>")]
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.fixture
def burmese_lesson(curriculum):
    return translated_lesson("my", title=BURMESE_TITLE, text=BURMESE)


def font_name(row: dict) -> str:
    """pdffonts' name without subset tag and dashes: ABCDEF+Noto-Sans-Myanmar → NotoSansMyanmar."""
    return row["name"].split("+")[-1].replace("-", "")


def overflowing(data: bytes) -> list[dict]:
    """Lines of a PDF that stick out of the text box (left or right of the margins)."""
    return [
        line
        for line in pdf_lines(data)
        if line["left"] < MARGIN - TOLERANCE or line["right"] > line["page_width"] - MARGIN + 1
    ]


def test_a_burmese_pack_wraps_inside_its_text_box_in_noto_sans_myanmar(
    burmese_lesson, django_capture_on_commit_callbacks
):
    pack = build(
        django_capture_on_commit_callbacks, page=burmese_lesson, edition="student", paper="a4"
    )
    assert pack.status == Pack.Status.READY, pack.error
    data = pdf_bytes(pack)
    lines = pdf_lines(data)
    burmese_lines = [line for line in lines if sum(map(is_myanmar, line["text"])) > 20]
    assert len(burmese_lines) >= 6  # the paragraph is set on many lines, not one
    assert overflowing(data) == []
    assert pdf_reader(pack).trailer["/Root"]["/Lang"] == "my"
    fonts = {font_name(font): font for font in pdf_fonts(pack)}
    assert "NotoSansMyanmar" in fonts and fonts["NotoSansMyanmar"]["emb"] == "yes", fonts


def test_a_burmese_pack_s_text_comes_out_as_unicode_burmese(
    burmese_lesson, django_capture_on_commit_callbacks
):
    pack = build(
        django_capture_on_commit_callbacks, page=burmese_lesson, edition="student", paper="a4"
    )
    text = pdf_text(pack)
    burmese = "".join(char for char in text if is_myanmar(char))
    written = BURMESE + BURMESE_TITLE
    assert len(burmese) > 0.9 * sum(map(is_myanmar, written))
    # Unicode Burmese, with the letters written (not all, nor always in their order: WeasyPrint
    # maps each glyph to one text, so a glyph that several clusters share reads back as the
    # first it drew; the web page is the text to copy). Zawgyi would put its stacked and
    # alternative forms at U+1060-U+109F, which Burmese in Unicode does not use.
    letters = {char for char in written if is_myanmar(char)}
    assert len(letters & set(burmese)) > 0.9 * len(letters)
    assert not [char for char in burmese if char >= "\u1060"]
    assert ZawgyiDetector().get_zawgyi_probability(burmese) < 0.05


def test_without_ICU_line_breaks_the_same_paragraph_runs_off_the_page(burmese_lesson):
    # What the pack looked like before: the check above would fail on it.
    content = load_page_content(page=burmese_lesson, edition="student", paper="a4")
    html = render_html(content)
    unbroken, _pages = html_to_pdf(html, paper="a4", break_burmese=False)
    assert any(is_myanmar(char) for line in overflowing(unbroken) for char in line["text"])
    broken, _pages = html_to_pdf(html, paper="a4")
    assert overflowing(broken) == []


def test_breaks_go_only_into_burmese_text():
    from tinyhtml5 import parse

    html = (
        '<html lang="en"><head><title>ရှားပါးမြေဒြပ်စင်</title></head><body>'
        '<p title="ရှားပါးမြေဒြပ်စင်">ရှားပါးမြေဒြပ်စင်</p>'
        '<p lang="my">ရှားပါးမြေဒြပ်စင်<span lang="en">ရှားပါးမြေ</span>ဒြပ်စင်များ'
        "<!-- ရှားပါးမြေဒြပ်စင် --><b>ကမ္ဘာ့ရှားပါးမြေ</b> Neodymium magnets</p></body></html>"
    )
    root = parse(html, namespace_html_elements=False)
    insert_burmese_breaks(root)
    title = root.find("head/title")
    english, burmese = root.findall("body/p")
    assert ZWSP not in title.text + english.text + english.get("title")
    assert burmese.text == f"ရှားပါး{ZWSP}မြေ{ZWSP}ဒြပ်စင်"
    span, bold = burmese.find("span"), burmese.find("b")
    assert ZWSP not in span.text  # English, even if it holds Burmese letters
    assert span.tail == f"ဒြပ်စင်{ZWSP}များ"  # the span's tail is the paragraph's text
    assert bold.text == f"ကမ္ဘာ့{ZWSP}ရှားပါး{ZWSP}မြေ"  # a stack is never split
    assert bold.tail == " Neodymium magnets"
    assert ZWSP not in list(burmese)[1].text  # the comment


def test_breaks_never_split_a_syllable_or_a_stack():
    broken = break_burmese(BURMESE + " နီအိုဒီယမ် (neodymium)")
    assert broken.replace(ZWSP, "") == BURMESE + " နီအိုဒီယမ် (neodymium)"
    assert broken.count(ZWSP) > 100
    for before, after in zip(broken, broken[1:], strict=False):
        if after == ZWSP:
            assert before != "\u1039" and not before.isspace()
    for before, after in zip(broken, broken[2:], strict=False):
        if before == ZWSP:  # nothing combines with, stacks under or closes on the break
            assert after not in "\u1039\u103a"
    assert "ယ\u200bမ်" not in broken and "ကမ္ဘာ့" in broken


def test_a_chinese_pack_is_zh_hans_in_noto_sans_cjk_sc(
    curriculum, django_capture_on_commit_callbacks
):
    lesson = translated_lesson("zh-hans", title="稀土元素", text=CHINESE)
    content = load_page_content(page=lesson, edition="student", paper="a4")
    assert '<html lang="zh-Hans" dir="ltr">' in render_html(content)
    pack = build(django_capture_on_commit_callbacks, page=lesson, edition="student", paper="a4")
    assert pack.status == Pack.Status.READY, pack.error
    assert pdf_reader(pack).trailer["/Root"]["/Lang"] == "zh-Hans"
    assert CHINESE.replace("，", "") in pdf_text(pack).replace("，", "")
    fonts = {font_name(font): font for font in pdf_fonts(pack)}
    assert "NotoSansCJKSC" in fonts and fonts["NotoSansCJKSC"]["emb"] == "yes", fonts


def test_an_english_pack_says_so(tier_page):
    content = load_page_content(page=tier_page, edition="student", paper="a4")
    assert content.language == "en"
    assert '<html lang="en" dir="ltr">' in render_html(content)


def test_the_pack_is_keyed_by_its_language(tier_page, lesson):
    english = [
        content_hash(load_page_content(page=page, edition="student", paper="a4"))
        for page in (tier_page, lesson)
    ]
    burmese, _created = Locale.objects.get_or_create(language_code="my")
    Page.objects.filter(pk=tier_page.pk).update(locale=burmese)  # the module-tier's language
    again = [
        content_hash(load_page_content(page=page, edition="student", paper="a4"))
        for page in (Page.objects.get(pk=tier_page.pk).specific, lesson)
    ]
    assert again[0] != english[0] and again[1] != english[1]
