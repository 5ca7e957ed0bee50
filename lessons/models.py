"""Wagtail pages and snippets for the curriculum.

Tree: HomePage → CurriculumIndexPage → ModulePage → ModuleTierPage (one per age tier)
→ LessonPage. Teacher guides are a separate model (TeacherGuide) linked to a lesson or a
module-tier, so no page serializer, search index or sitemap can ever include them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageViewRestriction, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from reelearn.core.zawgyi import ZawgyiModelForm, ZawgyiPageForm

from .blocks import RICH_FEATURES, LessonStreamBlock, cited_source_ids
from .cache import bump_content_version as bump_content_version  # re-exported
from .cache import restricted_page_ids


class Tier(models.TextChoices):
    T1 = "t1", _("Ages 7–11")
    T2 = "t2", _("Ages 11–14")
    T3 = "t3", _("Ages 14–16")
    T4 = "t4", _("Ages 16–18")


TIER_SLUGS = {"t1": "ages-7-11", "t2": "ages-11-14", "t3": "ages-14-16", "t4": "ages-16-18"}


class Strand(models.TextChoices):
    SCIENCE = "science", _("REEs: science and uses")
    SUPPLY = "supply", _("Supply chains and geography")
    ETHICS = "ethics", _("Just-transition ethics")


# --- Images -----------------------------------------------------------------------------------


class CurriculumImage(AbstractImage):
    """Wagtail image with the credit and licence every published picture needs."""

    credit = models.CharField(max_length=200, blank=True)
    licence = models.CharField(max_length=100, blank=True, default="CC BY 4.0")

    admin_form_fields = (*Image.admin_form_fields, "credit", "licence")


class CurriculumRendition(AbstractRendition):
    image = models.ForeignKey(CurriculumImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# --- Snippets ---------------------------------------------------------------------------------


class Source(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        STATISTICS = "statistics", _("Statistics")
        ARTICLE = "article", _("Journal article")
        BOOK = "book", _("Book")
        NEWS = "news", _("News")
        WEB = "web", _("Web page")
        POLICY = "policy", _("Policy or law")
        EDUCATION = "education", _("Education guidance")

    key = models.SlugField(max_length=20, unique=True, help_text=_("Short id, e.g. S1."))
    title = models.CharField(max_length=300)
    author = models.CharField(_("author or publisher"), max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    accessed = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)

    base_form_class = ZawgyiModelForm
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("author"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.author}{f' ({self.year})' if self.year else ''}, {self.title}"


class Term(TranslatableMixin, index.Indexed, models.Model):
    """A glossary term at two reading levels; translated with wagtail-localize (one row per
    language, sharing a translation key; the slug is the same in every language)."""

    slug = models.SlugField(max_length=60)
    term = models.CharField(max_length=120)
    simple = models.TextField(_("definition for ages 7–14"))
    full = models.TextField(_("definition for ages 14+"))

    base_form_class = ZawgyiModelForm
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("simple"),
        index.SearchField("full"),
    ]

    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="term_slug_per_locale")
        ]

    def __str__(self) -> str:
        return self.term

    def definition_for(self, tier: str | None) -> str:
        """The simple definition for ages 7–14 (t1, t2), the full one from 14 (t3, t4)."""
        return self.simple if tier in (None, "t1", "t2") else self.full


# --- Pages ------------------------------------------------------------------------------------


class RestrictionsMixin:
    """Wagtail checks a page's view restrictions, and its ancestors', on every view (two
    queries). While no page anywhere has one, the answer is known without asking."""

    def get_view_restrictions(self):
        if not restricted_page_ids():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(RestrictionsMixin, Page):
    intro = RichTextField(features=RICH_FEATURES, blank=True)

    base_form_class = ZawgyiPageForm
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["lessons.CurriculumIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "lessons/home_page.html"


class CurriculumIndexPage(RestrictionsMixin, Page):
    intro = RichTextField(features=RICH_FEATURES, blank=True)

    base_form_class = ZawgyiPageForm
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lessons.HomePage"]
    subpage_types = ["lessons.ModulePage", "lessons.RoutePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .selectors import curriculum_browse

        context = super().get_context(request, *args, **kwargs)
        context.update(curriculum_browse(self, request.GET))
        context["routes"] = list(
            RoutePage.objects.child_of(self).live().public().order_by("tier", "path")
        )
        return context


class ModuleTag(TaggedItemBase):
    content_object = ParentalKey(
        "lessons.ModulePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ModulePage(RestrictionsMixin, RoutablePageMixin, Page):
    # One code per module: its translations share it (never translated; unique per locale,
    # checked in clean(), as the locale lives on the page table).
    code = models.CharField(max_length=8, help_text=_("e.g. m1"))
    strand = models.CharField(max_length=16, choices=Strand.choices)
    summary = models.TextField(max_length=600)
    hero_image = models.ForeignKey(
        CurriculumImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(max_length=500, blank=True)  # room for Burmese
    sdgs = models.JSONField(default=list, blank=True, help_text=_("SDG numbers, e.g. [7, 13]."))
    competencies = models.JSONField(default=list, blank=True)
    topics = ClusterTaggableManager(through=ModuleTag, blank=True)

    base_form_class = ZawgyiPageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("strand"), FieldPanel("topics")], heading=_("Browse")
        ),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Hero")),
        FieldPanel("sdgs"),
        FieldPanel("competencies"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("strand")]
    parent_page_types = ["lessons.CurriculumIndexPage"]
    subpage_types = ["lessons.ModuleTierPage"]
    override_translatable_fields = [SynchronizedField("code")]

    def clean(self):
        super().clean()
        others = ModulePage.objects.filter(code=self.code, locale_id=self.locale_id)
        if self.code and others.exclude(pk=self.pk).exists():
            raise ValidationError({"code": _("Another module already has this code.")})

    @path("guide/")
    def guide(self, request):
        """The module's teacher guide: a subject primer and awkward questions."""
        from .views import render_teacher_guide

        return render_teacher_guide(request, self)

    template = "lessons/module_page.html"
    api_fields = [
        APIField("code"),
        APIField("strand"),
        APIField("summary"),
        APIField("sdgs"),
        APIField("hero_image"),
    ]

    def get_cached_paths(self) -> list[str]:
        """What a CDN purge takes (reelearn.core.cdn): the page shows each tier at ?tier=."""
        return ["/", *(f"?tier={tier}" for tier in Tier.values)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tiers = list(ModuleTierPage.objects.child_of(self).live().public().order_by("tier"))
        context["tiers"] = tiers
        context["current_tier"] = next(
            (t for t in tiers if t.tier == request.GET.get("tier")), tiers[0] if tiers else None
        )
        if context["current_tier"]:
            context["lessons"] = list(
                LessonPage.objects.child_of(context["current_tier"])
                .live()
                .public()
                .specific()
                .only("title", "url_path", "outcome", "duration", "path", "depth")
            )
        return context


def title_with_ages(page) -> str:
    """A page's title with its age range, unless the title says it already (the curriculum's
    module-tier pages do): a module or lesson is written once per age tier, and each page needs
    a browser title of its own."""
    title = page.seo_title or page.title
    ages = str(page.get_tier_display()) if page.tier else ""
    if not ages or ages.casefold() in title.casefold():
        return title
    return f"{title} · {ages}"


class ModuleTierPage(RestrictionsMixin, RoutablePageMixin, Page):
    """One module at one age tier: holds the tier's lessons and its teacher guide."""

    tier = models.CharField(max_length=2, choices=Tier.choices)
    strand = models.CharField(max_length=16, choices=Strand.choices, editable=False, blank=True)
    summary = models.TextField(max_length=600, blank=True)

    base_form_class = ZawgyiPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("tier"),
        FieldPanel("summary"),
        HelpPanel(
            content=_(
                "The teacher guide for this module-tier is edited under "
                "Curriculum → Teacher guides."
            )
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("tier"),
        index.FilterField("strand"),
    ]
    parent_page_types = ["lessons.ModulePage"]
    subpage_types = ["lessons.LessonPage"]
    template = "lessons/module_tier_page.html"
    api_fields = [APIField("tier"), APIField("strand"), APIField("summary")]

    def full_clean(self, *args, **kwargs):
        # New pages have a path (set by add_child) before they have a pk.
        parent = self.get_parent() if (self.pk or self.path) else None
        module = parent.specific if parent else None
        if isinstance(module, ModulePage):
            self.strand = module.strand
        super().full_clean(*args, **kwargs)

    def get_tier_display_short(self) -> str:
        return self.get_tier_display()

    def browser_title(self) -> str:
        return title_with_ages(self)

    @path("guide/")
    def guide(self, request):
        from .views import render_teacher_guide

        return render_teacher_guide(request, self)


class LessonMisconception(Orderable):
    page = ParentalKey(
        "lessons.LessonPage", related_name="misconceptions", on_delete=models.CASCADE
    )
    claim = models.CharField(max_length=300)
    response = models.TextField()

    panels = [FieldPanel("claim"), FieldPanel("response")]


class ContentGuidance(Orderable):
    class Kind(models.TextChoices):
        ARMED_CONFLICT = "armed_conflict", _("Armed conflict")
        DISPLACEMENT = "displacement", _("Displacement")
        ENVIRONMENTAL_HARM = "environmental_harm", _("Environmental harm")
        CLIMATE_ANXIETY = "climate_anxiety", _("Climate anxiety")
        OTHER = "other", _("Other")

    page = ParentalKey(
        "lessons.LessonPage", related_name="content_guidance", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    note = models.TextField()

    panels = [FieldPanel("kind"), FieldPanel("note")]


class LessonPage(RestrictionsMixin, RoutablePageMixin, Page):
    class Supervision(models.TextChoices):
        INDEPENDENT = "independent", _("Pupils can work independently")
        TEACHER_LED = "teacher_led", _("Teacher-led")
        CLOSE = "close", _("Teacher-led, with pastoral support ready")

    tier = models.CharField(max_length=2, choices=Tier.choices, editable=False, blank=True)
    strand = models.CharField(max_length=16, choices=Strand.choices, editable=False, blank=True)
    outcome = models.CharField(
        _("pupil outcome"), max_length=300, help_text=_("“I can …”, in the pupil's words.")
    )
    key_points = StreamField(
        [("point", blocks.CharBlock(max_length=300))],
        block_counts={"point": {"min_num": 3, "max_num": 5}},
        blank=False,
    )
    keywords = ParentalManyToManyField("lessons.Term", blank=True, related_name="lessons")
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    supervision = models.CharField(
        max_length=16, choices=Supervision.choices, default=Supervision.INDEPENDENT
    )
    body = StreamField(LessonStreamBlock(), blank=True)
    situation_note = models.ForeignKey(
        "lessons.SituationNote",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        help_text=_("The dated note this lesson's fast-changing facts depend on."),
    )

    base_form_class = ZawgyiPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("outcome"),
        FieldPanel("key_points"),
        FieldPanel("keywords"),
        FieldPanel("duration"),
        InlinePanel("misconceptions", heading=_("Misconceptions"), label=_("Misconception")),
        MultiFieldPanel(
            [
                FieldPanel("supervision"),
                InlinePanel("content_guidance", label=_("Content guidance")),
            ],
            heading=_("Content guidance (shown to teachers before they assign)"),
        ),
        FieldPanel("body"),
        HelpPanel(
            content=_(
                "The teacher guide for this lesson is edited under Curriculum → Teacher guides."
            )
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("outcome"),
        index.SearchField("key_points"),
        index.SearchField("body"),
        index.FilterField("tier"),
        index.FilterField("strand"),
    ]
    parent_page_types = ["lessons.ModuleTierPage"]
    subpage_types: list = []
    template = "lessons/lesson_page.html"
    api_fields = [
        APIField("tier"),
        APIField("strand"),
        APIField("outcome"),
        APIField("key_points"),
        APIField("keywords_api"),
        APIField("duration"),
        APIField("body"),
        APIField("references"),
    ]

    def full_clean(self, *args, **kwargs):
        parent = self.get_parent() if (self.pk or self.path) else None
        if parent is not None:
            tier_page = parent.specific
            if isinstance(tier_page, ModuleTierPage):
                # The strand comes from the module itself: the tier page's own copy may not
                # be saved yet when a new lesson is approved first.
                module = tier_page.get_parent().specific
                self.tier = tier_page.tier
                self.strand = module.strand if isinstance(module, ModulePage) else tier_page.strand
        super().full_clean(*args, **kwargs)

    def browser_title(self) -> str:
        return title_with_ages(self)

    @cached_property
    def references(self) -> list[dict]:
        """Numbered references built from the sources the body cites (one query)."""
        ids = cited_source_ids(self.body.raw_data)
        found = Source.objects.in_bulk(ids)
        return [
            {
                "number": n,
                "key": s.key,
                "title": s.title,
                "author": s.author,
                "year": s.year,
                "url": s.url,
                "accessed": s.accessed.isoformat() if s.accessed else None,
            }
            for n, s in enumerate((found[i] for i in ids if i in found), start=1)
        ]

    @property
    def keywords_api(self) -> list[dict]:
        return [
            {"slug": t.slug, "term": t.term, "definition": t.definition_for(self.tier)}
            for t in self.keywords.all()
        ]

    @path("")
    def lesson(self, request):
        from .pupil_pages import pupil_page

        return pupil_page(self, request) or self.render(request)

    @path("guide/")
    def guide(self, request):
        from .views import render_teacher_guide

        return render_teacher_guide(request, self)

    def get_cached_paths(self) -> list[str]:
        """What a CDN purge takes (reelearn.core.cdn): the lesson and its printable sheets."""
        return ["/", *(f"sheets/{key}/" for key in self.printables.values_list("key", flat=True))]

    @path("sheets/<slug:key>/")
    def sheet(self, request, key):
        """A printable sheet of this lesson (the pupil version: no answers), to print."""
        from .views import render_printable

        return render_printable(request, self, key)

    def get_context(self, request, *args, **kwargs):
        from .fragments import lesson_parts
        from .selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request))
        context["parts"] = lesson_parts(self, request)
        return context


# --- Teacher guides (teacher-only) ------------------------------------------------------------


class TeacherGuide(TranslatableMixin, models.Model):
    """Teacher-only notes for one lesson or module-tier.

    Deliberately not a page field or a child of the page's cluster: the page API, search index,
    sitemap, revisions and public previews never see it. Only `views.render_teacher_guide`,
    which checks the reader, renders it.
    """

    # The English page, in every language: a guide's translations hang off the page it was
    # written for (one per locale), and a translated page's readers get theirs through it.
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="teacher_guides"
    )
    overview = RichTextField(features=RICH_FEATURES, blank=True)
    timings = RichTextField(features=RICH_FEATURES, blank=True)
    prior_knowledge = RichTextField(features=RICH_FEATURES, blank=True)
    answers = RichTextField(
        _("answers to activities and questions"), features=RICH_FEATURES, blank=True
    )
    tips = RichTextField(features=RICH_FEATURES, blank=True)
    differentiation = RichTextField(features=RICH_FEATURES, blank=True)
    safeguarding = RichTextField(features=RICH_FEATURES, blank=True)
    balanced_discussion = RichTextField(
        _("running a balanced discussion"), features=RICH_FEATURES, blank=True
    )
    cross_curricular = RichTextField(features=RICH_FEATURES, blank=True)
    primer = RichTextField(
        _("subject primer for a non-specialist"), features=RICH_FEATURES, blank=True
    )
    awkward_questions = RichTextField(
        _("awkward questions, with suggested answers"), features=RICH_FEATURES, blank=True
    )
    curriculum_links = RichTextField(
        _("curriculum links (check against the current specification)"),
        features=RICH_FEATURES,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = ZawgyiModelForm
    panels = [
        FieldPanel("page"),
        FieldPanel("overview"),
        FieldPanel("timings"),
        FieldPanel("prior_knowledge"),
        FieldPanel("answers"),
        FieldPanel("tips"),
        FieldPanel("differentiation"),
        FieldPanel("safeguarding"),
        FieldPanel("balanced_discussion"),
        FieldPanel("cross_curricular"),
        FieldPanel("primer"),
        FieldPanel("awkward_questions"),
        FieldPanel("curriculum_links"),
    ]

    SECTIONS = (
        "primer",
        "overview",
        "timings",
        "prior_knowledge",
        "answers",
        "tips",
        "differentiation",
        "safeguarding",
        "balanced_discussion",
        "awkward_questions",
        "cross_curricular",
        "curriculum_links",
    )

    override_translatable_fields = [SynchronizedField("page")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("teacher guide")
        constraints = [
            models.UniqueConstraint(fields=["page", "locale"], name="guide_per_page_and_locale")
        ]

    def __str__(self) -> str:
        return f"Teacher guide: {self.page.title}"

    def sections(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SECTIONS
            if getattr(self, name)
        ]


class SituationNote(models.Model):
    """One editable, dated page for facts that change month to month (who controls which
    town, export rules, the newest data), linked from every lesson that depends on it."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    reviewed = models.DateField(_("reviewed on"))
    newest_source = models.CharField(
        _("newest source at hand"), max_length=300, help_text=_("What the date rests on.")
    )
    body = RichTextField(features=RICH_FEATURES)
    not_checked = RichTextField(_("what could not be checked"), features=RICH_FEATURES, blank=True)

    base_form_class = ZawgyiModelForm
    panels = [
        FieldPanel("slug"),
        FieldPanel("title"),
        FieldPanel("reviewed"),
        FieldPanel("newest_source"),
        FieldPanel("body"),
        FieldPanel("not_checked"),
    ]

    class Meta:
        verbose_name = _("situation note")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("lessons:situation", kwargs={"slug": self.slug})


class RoutePage(RestrictionsMixin, Page):
    """A route through one tier's lessons that a teacher can assign as it is: one lesson,
    three lessons or a full unit, in teaching order."""

    class Length(models.TextChoices):
        ONE = "one", _("One lesson")
        THREE = "three", _("Three lessons")
        UNIT = "unit", _("Full unit")

    tier = models.CharField(max_length=2, choices=Tier.choices)
    length = models.CharField(max_length=8, choices=Length.choices)
    summary = models.TextField(max_length=1000, help_text=_("What the route covers and why."))

    base_form_class = ZawgyiPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("tier"),
        FieldPanel("length"),
        FieldPanel("summary"),
        InlinePanel("route_lessons", label=_("Lessons, in order")),
    ]
    parent_page_types = ["lessons.CurriculumIndexPage"]
    subpage_types: list[str] = []
    template = "lessons/route_page.html"
    api_fields = [APIField("tier"), APIField("length"), APIField("summary")]

    def lessons(self) -> list[LessonPage]:
        """The live lessons of the route, in order (one query)."""
        ids = list(self.route_lessons.order_by("sort_order").values_list("lesson_id", flat=True))
        found = LessonPage.objects.live().public().in_bulk(ids)
        return [found[i] for i in ids if i in found]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = self.lessons()
        context["route_lessons"] = lessons
        context["route_minutes"] = sum(lesson.duration for lesson in lessons)
        return context


class RouteLesson(Orderable):
    route = ParentalKey(RoutePage, on_delete=models.CASCADE, related_name="route_lessons")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("lesson")]


class Printable(models.Model):
    """A card set, table or template an activity asks for: a page of the lesson's pack (and a
    printable web page), made from the curriculum source so edits flow through.

    The pupil version (cards, a table with blanks, a template) is public, like the lesson. The
    `answers` (a completed table, a sorted card set, what to look for) are teacher material:
    only the teacher guide and the teacher edition of a pack show them.
    """

    class Kind(models.TextChoices):
        CARDS = "cards", _("Cards to cut out")
        TABLE = "table", _("Table")
        TEMPLATE = "template", _("Template")

    page = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="printables")
    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    intro = models.TextField(_("instructions for pupils"), blank=True)
    cards = models.JSONField(default=list, blank=True, help_text=_("One text per card."))
    columns = models.JSONField(default=list, blank=True)
    rows = models.JSONField(
        default=list, blank=True, help_text=_("Table rows; empty cells are left for pupils.")
    )
    body = RichTextField(features=RICH_FEATURES, blank=True)
    answers = RichTextField(_("answers (teachers only)"), features=RICH_FEATURES, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    base_form_class = ZawgyiModelForm
    panels = [
        FieldPanel("page"),
        FieldPanel("key"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("cards"),
        FieldPanel("columns"),
        FieldPanel("rows"),
        FieldPanel("body"),
        FieldPanel("answers"),
    ]

    class Meta:
        ordering = ["page", "sort_order", "pk"]
        verbose_name = _("printable sheet")

    def __str__(self) -> str:
        return self.title

    def cards_to_print(self) -> list[str]:
        """The cards in an order that gives nothing away: authors often write a sequence or a
        sort in its right order, so the sheet shuffles them by a digest of their words (the
        same order on every printing, whatever order the source lists them in)."""
        return sorted(
            self.cards, key=lambda card: hashlib.sha256(f"{self.key}:{card}".encode()).digest()
        )


# --- Loader bookkeeping -----------------------------------------------------------------------


class CurriculumLoad(models.Model):
    """What load_curriculum last wrote for one object, so it can tell editors' changes apart."""

    key = models.CharField(max_length=200, unique=True)
    digest = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    revision_id = models.PositiveBigIntegerField(null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


# --- Translation reviews ----------------------------------------------------------------------


def review_codename(language_code: str) -> str:
    """The permission to approve translations into `language_code` ("review_zh_hans")."""
    return "review_" + language_code.replace("-", "_")


def review_permissions() -> list[tuple[str, str]]:
    """One per translated language, named in English (Django's name for the language)."""
    return [
        (review_codename(code), f"Can approve translations into {get_language_info(code)['name']}")
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


class TranslationReview(models.Model):
    """A reviewer's approval of one translation (a page or snippet in one locale) as it was then.

    `version` names what was approved: the translation's live revision (pages, quizzes) or a
    digest of its content (other snippets); see lessons.translation_reviews. A later publish or
    sync makes a new version that no approval names, so the translation reads as a draft again.
    Each language's reviewer group holds its `review_<language>` permission.
    """

    # The model that holds locale and translation key (wagtailcore.Page for every page type).
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    translation_key = models.UUIDField()
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=80)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        default_permissions = ()
        permissions = review_permissions()
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "translation_key", "locale"],
                name="one_review_per_translation",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.translation_key} in locale {self.locale_id}: {self.version}"
