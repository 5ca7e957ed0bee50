"""Every lesson block's words reach translators (wagtail-localize silently skips a block it finds
no segments in) and come back in the translation; codes and numbers stay as they are."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments.extract import extract_segments

from lessons.blocks import LessonStreamBlock
from lessons.models import CurriculumImage, LessonPage, Source, Term

pytestmark = pytest.mark.django_db

# The words of each block kind a translator must see (in the values below).
WORDS = {
    "text": "Rare earth elements are a family of 17 metals.",
    "image": "A magnet on a fridge",
    "diagram": "How a magnet is made, step by step",
    "fact": "China mined most of the world's rare earths in 2024.",
    "activity": "Stir the glitter in.",
    "discussion": "Should we stop using rare earths?",
    "voice": "We need the work.",
    "chart": "China mined the most.",
    "video": "How magnets work",
    "check": "Name two rare earth elements.",
    "quiz": "Test yourself",
}


def png() -> ImageFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return ImageFile(buffer, name="magnet.png")


def every_block(source: Source, term: Term, image: CurriculumImage) -> list[tuple[str, dict]]:
    picture = {"image": image, "credit": "REElearn", "licence": "CC BY 4.0"}
    return [
        ("text", f"<p>{WORDS['text']}</p>"),
        ("image", {**picture, "alt": WORDS["image"], "caption": ""}),
        (
            "diagram",
            {**picture, "alt": "A diagram", "caption": "", "long_description": WORDS["diagram"]},
        ),
        (
            "fact",
            {
                "statement": WORDS["fact"],
                "figure": "270,000",
                "unit": "tonnes",
                "sources": [source],
                "reviewed": None,
            },
        ),
        ("term", {"term": term}),
        (
            "activity",
            {
                "title": "Glitter in the sand",
                "kind": "hands_on",
                "minutes": 15,
                "materials": ["sand"],
                "sheets": [{"key": "glitter-card", "title": "Glitter card"}],
                "steps": [WORDS["activity"]],
                "support": "",
                "stretch": "",
            },
        ),
        (
            "discussion",
            {
                "question": WORDS["discussion"],
                "viewpoints": [
                    {"stakeholder": "An engineer", "view": "Magnets make motors efficient."},
                    {"stakeholder": "A farmer", "view": "The river got dirty."},
                ],
            },
        ),
        (
            "voice",
            {"quote": WORDS["voice"], "attribution": "A miner", "context": "", "source": source},
        ),
        (
            "chart",
            {
                "title": "Mine production",
                "kind": "bar",
                "unit": "kt",
                "label": "Country",
                "rows": [{"label": "China", "value": 270}, {"label": "United States", "value": 45}],
                "summary": WORDS["chart"],
                "sources": [source],
            },
        ),
        (
            "video",
            {
                "title": WORDS["video"],
                "url": "https://example.org/v",
                "duration": "3 min",
                "transcript": "Magnets pull.",
            },
        ),
        ("check", {"questions": [WORDS["check"]]}),
        ("quiz", {"heading": WORDS["quiz"]}),
    ]


def test_every_block_kind_is_translated_and_keys_are_not(curriculum):
    lesson = LessonPage.objects.filter(locale__language_code="en").first()
    source = Source.objects.create(key="S99", title="A report", author="Someone", year=2024)
    term = Term.objects.create(
        slug="magnet", term="magnet", simple="It pulls iron.", full="A magnet."
    )
    image = CurriculumImage.objects.create(title="Magnet", file=png())
    stream = LessonStreamBlock()
    assert set(stream.child_blocks) == {name for name, _value in every_block(source, term, image)}
    lesson.body = every_block(source, term, image)
    lesson.save_revision().publish()
    lesson.refresh_from_db()

    segments = extract_segments(lesson)
    texts = {getattr(s, "source", getattr(s, "string", None)) for s in segments}
    found = " ".join(str(getattr(t, "data", t)) for t in texts)
    for kind, words in WORDS.items():
        assert words in found, f"the {kind} block's words never reach a translator"
    assert "glitter-card" not in found  # a sheet's key is a code, not words

    # Translated, each block comes back in Burmese; the key and the numbers stay.
    burmese = Locale.objects.get(language_code="my")
    translation_source, _ = TranslationSource.get_or_create_from_instance(lesson)
    translation = Translation.objects.create(source=translation_source, target_locale=burmese)
    for segment in translation_source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=burmese,
            context=segment.context,
            data="မြန်မာ " + segment.string.data,
        )
    translation.save_target(publish=False)
    page = lesson.get_translation(burmese)
    body = {block.block_type: block.value for block in page.get_latest_revision_as_object().body}
    assert str(body["text"]).count("မြန်မာ") == 1
    assert body["fact"]["statement"] == "မြန်မာ " + WORDS["fact"]
    assert body["fact"]["figure"] == "မြန်မာ 270,000" or body["fact"]["figure"] == "270,000"
    assert body["activity"]["sheets"][0]["key"] == "glitter-card"
    assert body["activity"]["steps"][0] == "မြန်မာ " + WORDS["activity"]
    assert body["discussion"]["question"] == "မြန်မာ " + WORDS["discussion"]
    assert body["voice"]["quote"] == "မြန်မာ " + WORDS["voice"]
    assert body["chart"]["rows"][0]["value"] == 270
    assert body["chart"]["summary"] == "မြန်မာ " + WORDS["chart"]
    assert body["diagram"]["long_description"] == "မြန်မာ " + WORDS["diagram"]
    assert body["image"]["alt"] == "မြန်မာ " + WORDS["image"]
    assert body["video"]["title"] == "မြန်မာ " + WORDS["video"]
    assert body["check"]["questions"][0] == "မြန်မာ " + WORDS["check"]
    assert body["quiz"]["heading"] == "မြန်မာ " + WORDS["quiz"]
    assert body["fact"]["sources"][0].pk == source.pk  # sources are cited as published
