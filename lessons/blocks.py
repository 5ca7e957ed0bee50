"""StreamField blocks for lesson bodies. Each block has a template in templates/blocks/, an icon,
a description and a preview value, so editors see what they are choosing."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from reelearn.core.zawgyi import zawgyi_block_error

from .charts import chart_svg

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class TextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/text.html"
        label = _("Text")
        description = _("Paragraphs, lists and sub-headings. Put numbers in fact blocks instead.")
        preview_value = "<p>Rare earth elements are a family of 17 metals.</p>"


class KeyBlock(blocks.CharBlock):
    """A name code looks things up by (a printable sheet's key): the same in every language,
    so wagtail-localize offers it to no translator and copies it as it is."""

    def get_translatable_segments(self, value) -> list:
        return []

    def restore_translated_segments(self, value, segments):
        return value


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        label=_("Alt text"),
        max_length=600,  # room for Burmese, whose combining marks count as characters
        help_text=_("Describe what the picture shows for someone who cannot see it. Required."),
    )
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(max_length=200, help_text=_("Who made it."))
    licence = blocks.CharBlock(max_length=100, default="CC BY 4.0")

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = _("A picture with alt text, caption, credit and licence.")
        preview_value = {
            "alt": "",
            "caption": "A picture",
            "credit": "REElearn",
            "licence": "CC BY 4.0",
        }


class DiagramBlock(ImageBlock):
    long_description = blocks.TextBlock(
        required=False,
        help_text=_("A full text version of the diagram for screen readers and print."),
    )

    class Meta:
        icon = "site"
        template = "blocks/diagram.html"
        description = _("A labelled diagram (SVG preferred) with a text version.")
        preview_value = {
            "alt": "",
            "caption": "A diagram",
            "credit": "REElearn",
            "licence": "CC BY 4.0",
        }


class FactBlock(blocks.StructBlock):
    statement = blocks.TextBlock(max_length=500, help_text=_("The claim, in the reader's words."))
    figure = blocks.CharBlock(required=False, max_length=60)
    unit = blocks.CharBlock(required=False, max_length=80)
    sources = blocks.ListBlock(
        SnippetChooserBlock("lessons.Source"),
        min_num=0,
        help_text=_("Every fact needs at least one source before it can be published."),
    )
    reviewed = blocks.DateBlock(label=_("Last reviewed"))

    def clean(self, value):
        value = super().clean(value)
        if not [s for s in value.get("sources") or [] if s]:
            raise StructBlockValidationError(
                block_errors={
                    "sources": forms.ValidationError(
                        _("A fact needs at least one source before it can be published.")
                    )
                }
            )
        return value

    class Meta:
        icon = "doc-full-inverse"
        template = "blocks/fact.html"
        description = _("A sourced fact: statement, figure and unit, sources, review date.")
        preview_value = {
            "statement": "China mined most of the world's rare earths in 2024.",
            "figure": "270,000",
            "unit": "tonnes REO",
            "sources": [],
        }


class KeyTermBlock(blocks.StructBlock):
    term = SnippetChooserBlock("lessons.Term")

    class Meta:
        icon = "tag"
        template = "blocks/key_term.html"
        description = _("A glossary term, defined at the lesson's reading level.")


class ActivityBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    kind = blocks.ChoiceBlock(
        choices=[
            ("hands_on", _("Hands-on")),
            ("investigation", _("Investigation")),
            ("discussion", _("Discussion")),
            ("writing", _("Writing")),
            ("data", _("Data")),
            ("game", _("Game")),
            ("research", _("Research")),
        ]
    )
    minutes = blocks.IntegerBlock(min_value=1, max_value=180)
    materials = blocks.ListBlock(blocks.CharBlock(max_length=200), min_num=0)
    sheets = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("key", KeyBlock(max_length=80)),
                ("title", blocks.CharBlock(max_length=200)),
            ]
        ),
        min_num=0,
        required=False,
        label=_("Printable sheets"),
        help_text=_("Keys of the lesson's printable sheets this activity uses."),
    )
    steps = blocks.ListBlock(blocks.TextBlock(), min_num=1)
    support = blocks.TextBlock(required=False, label=_("Support (differentiation)"))
    stretch = blocks.TextBlock(required=False, label=_("Stretch (differentiation)"))

    class Meta:
        icon = "user"
        template = "blocks/activity.html"
        description = _("A classroom activity with timing, materials, steps and differentiation.")
        preview_value = {
            "title": "Glitter in the sand",
            "kind": "hands_on",
            "minutes": 15,
            "materials": ["sand", "glitter"],
            "steps": ["Stir the glitter in."],
        }


class ViewpointBlock(blocks.StructBlock):
    stakeholder = blocks.CharBlock(max_length=120)
    view = blocks.TextBlock()


class DiscussionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=300)
    viewpoints = blocks.ListBlock(ViewpointBlock(), min_num=2)

    class Meta:
        icon = "group"
        template = "blocks/discussion.html"
        description = _("A contested question with the views of named stakeholders.")
        preview_value = {
            "question": "Should we stop using rare earths?",
            "viewpoints": [
                {"stakeholder": "An engineer", "view": "Magnets make motors efficient."},
                {"stakeholder": "A farmer near a mine", "view": "The river got dirty."},
            ],
        }


class VoiceBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=200)
    context = blocks.TextBlock(required=False)
    source = SnippetChooserBlock("lessons.Source", required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/voice.html"
        description = _("A quotation with attribution and context.")
        preview_value = {"quote": "We need the work.", "attribution": "A miner"}


class ChartRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80)
    value = blocks.DecimalBlock()


class DataChartBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    kind = blocks.ChoiceBlock(
        choices=[("bar", _("Bar chart")), ("line", _("Line chart"))], default="bar"
    )
    unit = blocks.CharBlock(max_length=80)
    label = blocks.CharBlock(max_length=80, help_text=_("What the rows are, e.g. Country."))
    rows = blocks.ListBlock(ChartRowBlock(), min_num=2)
    summary = blocks.CharBlock(max_length=300, help_text=_("One line: what the chart shows."))
    sources = blocks.ListBlock(SnippetChooserBlock("lessons.Source"), min_num=0)

    def clean(self, value):
        value = super().clean(value)
        if not [s for s in value.get("sources") or [] if s]:
            raise StructBlockValidationError(
                block_errors={
                    "sources": forms.ValidationError(
                        _("A chart needs at least one source before it can be published.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        rows = []
        for row in value["rows"]:
            try:
                rows.append((row["label"], Decimal(row["value"])))
            except (InvalidOperation, TypeError):
                continue
        context["svg"] = chart_svg(value["title"], value["kind"], value["unit"], rows)
        return context

    class Meta:
        icon = "table"
        template = "blocks/data_chart.html"
        description = _("A table of values drawn as an accessible bar or line chart.")
        preview_value = {
            "title": "Mine production, 2024",
            "kind": "bar",
            "unit": "kt",
            "label": "Country",
            "summary": "China mined the most.",
            "rows": [{"label": "China", "value": 270}, {"label": "United States", "value": 45}],
        }


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    url = blocks.URLBlock(help_text=_("Opens on the provider's site; nothing is embedded."))
    duration = blocks.CharBlock(required=False, max_length=20)
    transcript = blocks.TextBlock(required=False)

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        description = _("A link to a video with an optional transcript.")


class CheckBlock(blocks.StructBlock):
    questions = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/check.html"
        label = _("Check your understanding")
        description = _("Questions to think about; model answers belong in the teacher guide.")
        preview_value = {"questions": ["Name two rare earth elements."]}


class QuizSlotBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="Quiz")

    class Meta:
        icon = "tasks"
        template = "blocks/quiz_slot.html"
        label = _("Quiz slot")
        description = _("Shows the quiz attached to this lesson or its module-tier.")
        preview_value = {"heading": "Quiz"}


class LessonStreamBlock(blocks.StreamBlock):
    text = TextBlock()
    image = ImageBlock()
    diagram = DiagramBlock()
    fact = FactBlock()
    term = KeyTermBlock()
    activity = ActivityBlock()
    discussion = DiscussionBlock()
    voice = VoiceBlock()
    chart = DataChartBlock()
    video = VideoBlock()
    check = CheckBlock()
    quiz = QuizSlotBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 1}}

    def clean(self, value):
        value = super().clean(value)
        error = zawgyi_block_error(self, value)  # on the child concerned, wherever it is
        if error is not None:
            raise error
        return value


CITING_BLOCKS = {"fact": "sources", "chart": "sources", "voice": "source"}


def facts_needing_review(raw_stream) -> list[dict]:
    """Facts whose last review is older than REELEARN_FACT_REVIEW_DAYS (from raw data, no queries).

    Shown to editors outside the cached lesson body, which every reader shares.
    """
    limit = datetime.timedelta(days=settings.REELEARN_FACT_REVIEW_DAYS)
    today = timezone.localdate()
    stale = []
    for item in raw_stream or []:
        if item.get("type") != "fact":
            continue
        value = item.get("value") or {}
        try:
            reviewed = datetime.date.fromisoformat(str(value.get("reviewed")))
        except ValueError:
            reviewed = None
        if reviewed is None or today - reviewed > limit:
            stale.append({"statement": value.get("statement", ""), "reviewed": reviewed})
    return stale


def cited_source_ids(raw_stream) -> list[int]:
    """Source ids in order of first citation, read from raw stream data without queries."""
    seen: dict[int, None] = {}
    for item in raw_stream or []:
        field = CITING_BLOCKS.get(item.get("type"))
        if not field:
            continue
        value = (item.get("value") or {}).get(field)
        ids = value if isinstance(value, list) else [value]
        for entry in ids:
            # ListBlock items are stored as {"type": "item", "value": id, "id": ...}.
            pk = entry.get("value") if isinstance(entry, dict) else entry
            if pk:
                seen.setdefault(int(pk), None)
    return list(seen)
