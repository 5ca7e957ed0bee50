"""Load the curriculum source files (lessons/curriculum/, see FORMAT.md) into Wagtail pages,
snippets and quizzes. It sits above both lessons and quizzes, which it fills.

Idempotent: every object the loader writes is recorded in `CurriculumLoad` with a digest of its
source. A second run with unchanged files writes nothing. When a file changes, the loader
publishes a new revision only if the page's latest revision is still the one it published; pages
an editor has changed since are left alone and listed (`force=True` overwrites them). Everything
is validated before anything is written, and the whole load runs in one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import markdown
import yaml
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.models import Page, Site, TranslatableMixin

import lessons
from lessons.models import (
    TIER_SLUGS,
    ContentGuidance,
    CurriculumImage,
    CurriculumIndexPage,
    CurriculumLoad,
    HomePage,
    LessonMisconception,
    LessonPage,
    ModulePage,
    ModuleTierPage,
    Printable,
    RouteLesson,
    RoutePage,
    SituationNote,
    Source,
    TeacherGuide,
    Term,
    Tier,
)
from reelearn.quizzes.curriculum import quiz_load

from .validation import CurriculumError, curriculum_problems, where

CURRICULUM_DIR = Path(lessons.__file__).resolve().parent / "curriculum"


# --- YAML with line numbers ---------------------------------------------------------------


class LineDict(dict):
    line: int = 0


class LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        return mapping


LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping
)


def read_yaml(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else "?"
        raise CurriculumError(f"{path}:{line}: malformed YAML: {exc.problem}") from exc
    except OSError as exc:
        raise CurriculumError(f"{path}: cannot read: {exc}") from exc


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def md(text: str | None) -> str:
    if not text:
        return ""
    return markdown.markdown(str(text).strip(), extensions=["sane_lists"], output_format="html")


# --- Report -------------------------------------------------------------------------------


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        total = self.created + self.updated + self.unchanged + len(self.skipped)
        text = (
            f"{total} items: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} left alone (edited in the admin since the last load)"
        return text


# --- The loader ---------------------------------------------------------------------------


class CurriculumLoader:
    def __init__(self, root: Path = CURRICULUM_DIR, *, force: bool = False):
        self.root = Path(root)
        self.force = force
        self.report = Report()

    # Parsing and validation (no writes) -------------------------------------------------

    def parse(self) -> dict:
        """The source files, read and checked (CurriculumError lists every problem)."""
        data = self.read()
        problems = curriculum_problems(self.root, data)
        if problems:
            raise CurriculumError("\n".join(problems))
        return data

    def read(self) -> dict:
        """The source files as read (CurriculumError only for unreadable YAML)."""
        sources = read_yaml(self.root / "sources.yaml") or []
        terms = read_yaml(self.root / "glossary.yaml") or []
        images = read_yaml(self.root / "images.yaml") or []
        modules = []
        for module_file in sorted(self.root.glob("m*/module.yaml")):
            module = read_yaml(module_file)
            tiers = []
            for tier_file in sorted(module_file.parent.glob("t*.yaml")):
                tiers.append((tier_file, read_yaml(tier_file)))
            modules.append((module_file, module, tiers))
        situations = (
            read_yaml(self.root / "situation.yaml")
            if (self.root / "situation.yaml").exists()
            else []
        )
        routes = (
            read_yaml(self.root / "routes.yaml") if (self.root / "routes.yaml").exists() else []
        )
        return {
            "sources": sources,
            "terms": terms,
            "images": images,
            "modules": modules,
            "situations": situations or [],
            "routes": routes or [],
        }

    # Writing ----------------------------------------------------------------------------

    def run(self) -> Report:
        data = self.parse()
        with transaction.atomic():
            self.sources = {
                s["key"]: self.upsert_snippet(
                    Source,
                    "key",
                    s,
                    {
                        "title": s["title"],
                        "author": s["author"],
                        "year": s.get("year"),
                        "url": s.get("url") or "",
                        "accessed": s.get("accessed"),
                        "kind": s.get("kind") or "report",
                    },
                )
                for s in data["sources"]
            }
            self.terms = {
                t["slug"]: self.upsert_snippet(
                    Term, "slug", t, {"term": t["term"], "simple": t["simple"], "full": t["full"]}
                )
                for t in data["terms"]
            }
            self.images = {i["key"]: self.upsert_image(i) for i in data["images"]}
            # The text version under each picture: its `text` (in full), else its alt text.
            self.image_text = {
                i["key"]: str(i.get("text") or i["alt"]).strip() for i in data["images"]
            }
            self.situations = {
                n["slug"]: self.upsert_snippet(
                    SituationNote,
                    "slug",
                    n,
                    {
                        "title": n["title"],
                        "reviewed": as_date(n["reviewed"]),
                        "newest_source": str(n["newest_source"]).strip(),
                        "body": md(n["body"]),
                        "not_checked": md(n.get("not_checked")),
                    },
                )
                for n in data["situations"]
            }
            self.lesson_pages: dict[str, LessonPage] = {}
            index = self.ensure_site()
            for module_file, module, tiers in data["modules"]:
                self.load_module(index, module_file, module, tiers)
            for route in data["routes"]:
                self.load_route(index, route)
        return self.report

    def load_route(self, index, spec: dict) -> None:
        """A route teachers can assign: lessons named `mN/tK/lesson-slug`, in order."""
        lessons = [self.lesson_pages[str(ref)] for ref in spec["lessons"]]
        fields = {
            "title": spec["title"],
            "slug": spec["slug"],
            "tier": spec["tier"],
            "length": spec["length"],
            "summary": str(spec["summary"]).strip(),
        }

        def setup(page):
            page.route_lessons = [RouteLesson(lesson=lesson) for lesson in lessons]

        existing = RoutePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        self.save_page(
            f"route:{spec['slug']}", index, existing, RoutePage, fields, digest(spec), setup
        )

    def record(self, key: str) -> CurriculumLoad | None:
        return CurriculumLoad.objects.filter(key=key).first()

    def upsert_snippet(self, model, lookup: str, spec: dict, fields: dict):
        key = f"{model._meta.model_name}:{spec[lookup]}"
        wanted = digest(fields)
        record = self.record(key)
        rows = model.objects.filter(**{lookup: spec[lookup]})
        if issubclass(model, TranslatableMixin):  # the English row; translations come later
            rows = rows.filter(locale__language_code=settings.LANGUAGE_CODE)
        obj = rows.first()
        if obj is None:
            obj = model.objects.create(**{lookup: spec[lookup]}, **fields)
            outcome = "created"
        elif record and record.digest == wanted:
            self.report.count("unchanged")
            return obj
        elif (
            record and not self.force and digest(self.current_fields(obj, fields)) != record.digest
        ):
            self.report.skipped.append(key)
            return obj
        else:
            for name, value in fields.items():
                setattr(obj, name, value)
            obj.save()
            outcome = "updated"
        CurriculumLoad.objects.update_or_create(
            key=key, defaults={"digest": wanted, "object_id": obj.pk}
        )
        self.report.count(outcome)
        return obj

    @staticmethod
    def current_fields(obj, fields: dict) -> dict:
        return {name: getattr(obj, name) for name in fields}

    def upsert_image(self, spec: dict) -> CurriculumImage:
        path = self.root / "images" / spec["file"]
        fields = {
            "title": spec["title"],
            "description": short_alt(spec["alt"]),
            "credit": spec.get("credit") or "REElearn",
            "licence": spec.get("licence") or "CC BY 4.0",
        }
        wanted = digest({**fields, "sha": hashlib.sha256(path.read_bytes()).hexdigest()})
        key = f"image:{spec['key']}"
        record = self.record(key)
        image = CurriculumImage.objects.filter(pk=record.object_id).first() if record else None
        if image is not None and record.digest == wanted:
            self.report.count("unchanged")
            return image
        if image is None:
            image = CurriculumImage(**fields)
            outcome = "created"
        else:
            for name, value in fields.items():
                setattr(image, name, value)
            outcome = "updated"
        with path.open("rb") as handle:
            image.file = ImageFile(handle, name=spec["file"])
            if path.suffix == ".svg":
                image.width, image.height = svg_size(path)
            image._set_file_hash()
            image.save()
        image.renditions.all().delete()
        CurriculumLoad.objects.update_or_create(
            key=key, defaults={"digest": wanted, "object_id": image.pk}
        )
        self.report.count(outcome)
        return image

    def ensure_site(self) -> CurriculumIndexPage:
        english = {"locale__language_code": settings.LANGUAGE_CODE}
        home = HomePage.objects.filter(**english).first()
        if home is None:
            # Replace Wagtail's placeholder "Welcome" page (its Site goes with it).
            Page.objects.filter(
                depth=2, content_type__app_label="wagtailcore", content_type__model="page"
            ).delete()
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title="REElearn", slug="home"))
            home.save_revision().publish()
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={
                    "hostname": "localhost",
                    "port": 80,
                    "root_page": home,
                    "site_name": "REElearn",
                },
            )
        index = CurriculumIndexPage.objects.filter(**english).first()
        if index is None:
            index = home.add_child(
                instance=CurriculumIndexPage(
                    title="Curriculum",
                    slug="curriculum",
                    intro="<p>Eight modules on rare earth elements, for ages 7 to 18.</p>",
                )
            )
            index.save_revision().publish()
        return index

    def save_page(
        self,
        key: str,
        parent: Page,
        page: Page | None,
        model,
        fields: dict,
        spec_digest: str,
        setup=None,
    ) -> Page:
        """Create or update one page from its spec and publish a revision when it changed."""
        record = self.record(key)
        if page is not None and record and record.digest == spec_digest:
            self.report.count("unchanged")
            return page
        if (
            page is not None
            and record
            and not self.force
            and (page.latest_revision_id != record.revision_id or page.has_unpublished_changes)
        ):
            self.report.skipped.append(key)
            return page
        if page is None:
            page = model(**fields)
            if setup:
                setup(page)
            parent.add_child(instance=page)
            outcome = "created"
        else:
            page = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
            for name, value in fields.items():
                setattr(page, name, value)
            if setup:
                setup(page)
            outcome = "updated"
        revision = page.save_revision(log_action=True)
        revision.publish()
        CurriculumLoad.objects.update_or_create(
            key=key,
            defaults={"digest": spec_digest, "object_id": page.pk, "revision_id": revision.pk},
        )
        self.report.count(outcome)
        return page

    def load_module(self, index, module_file: Path, module: dict, tiers: list) -> None:
        fields = {
            "title": module["title"],
            "slug": module["slug"],
            "code": module["code"],
            "strand": module["strand"],
            "summary": module["summary"].strip(),
            "sdgs": list(module.get("sdgs") or []),
            "competencies": list(module.get("competencies") or []),
            "hero_image": self.images.get(module.get("hero_image")),
            "hero_alt": "",
        }
        if fields["hero_image"]:
            fields["hero_alt"] = fields["hero_image"].description
        topics = [str(t) for t in module.get("topics") or []]

        def set_topics(page):
            page.topics.set(topics)

        existing = ModulePage.objects.filter(
            code=module["code"], locale__language_code=settings.LANGUAGE_CODE
        ).first()
        page = self.save_page(
            f"module:{module['code']}",
            index,
            existing,
            ModulePage,
            fields,
            digest({**module, "hero": module.get("hero_image")}),
            set_topics,
        )
        self.upsert_guide(f"guide:{module['code']}", page, module.get("guide") or {})
        for tier_file, spec in tiers:
            self.load_tier(page, tier_file, spec)

    def load_tier(self, module: ModulePage, path: Path, spec: dict) -> None:
        tier = spec["tier"]
        fields = {
            "title": f"{module.title} ({Tier(tier).label})",
            "slug": TIER_SLUGS[tier],
            "tier": tier,
            "summary": (spec.get("summary") or "").strip(),
            "strand": module.strand,
        }
        existing = ModuleTierPage.objects.child_of(module).filter(tier=tier).first()
        key = f"tier:{module.code}/{tier}"
        tier_page = self.save_page(
            key,
            module,
            existing,
            ModuleTierPage,
            fields,
            digest({k: v for k, v in spec.items() if k != "lessons"} | {"title": fields["title"]}),
        )
        self.upsert_guide(f"guide:{module.code}/{tier}", tier_page, spec.get("guide") or {})
        for lesson in spec["lessons"]:
            self.load_lesson(tier_page, module, lesson)
        if spec.get("quiz"):
            self.load_quiz(tier_page, f"{module.code}/{tier}", spec["quiz"], path)

    def load_lesson(self, tier_page: ModuleTierPage, module: ModulePage, spec: dict) -> None:
        self.sheets = {str(s["key"]): s for s in spec.get("sheets") or []}
        fields = {
            "title": spec["title"],
            "slug": spec["slug"],
            "outcome": spec["outcome"].strip(),
            "duration": int(spec.get("duration") or 45),
            "supervision": spec.get("supervision") or "independent",
            "key_points": [("point", str(p).strip()) for p in spec["key_points"]],
            "body": [self.build_block(b) for b in spec["body"]],
            "tier": tier_page.tier,
            "strand": module.strand,
            "situation_note": self.situations.get(str(spec.get("situation") or "")),
        }
        keywords = [self.terms[s] for s in spec.get("keywords") or []]
        misconceptions = [
            LessonMisconception(claim=m["claim"], response=m["response"])
            for m in spec.get("misconceptions") or []
        ]
        guidance = [
            ContentGuidance(kind=g["kind"], note=g["note"])
            for g in spec.get("content_guidance") or []
        ]

        def setup(page):
            page.keywords = keywords
            page.misconceptions = misconceptions
            page.content_guidance = guidance

        existing = LessonPage.objects.child_of(tier_page).filter(slug=spec["slug"]).first()
        key = f"lesson:{module.code}/{tier_page.tier}/{spec['slug']}"
        page = self.save_page(
            key,
            tier_page,
            existing,
            LessonPage,
            fields,
            digest({k: v for k, v in spec.items() if k != "guide"}),
            setup,
        )
        self.upsert_guide(
            f"guide:{module.code}/{tier_page.tier}/{spec['slug']}", page, spec.get("guide") or {}
        )
        self.load_printables(page, spec.get("sheets") or [])
        self.lesson_pages[f"{module.code}/{tier_page.tier}/{spec['slug']}"] = page

    def load_printables(self, page: LessonPage, sheets: list[dict]) -> None:
        """The lesson's printable sheets, by key; sheets no longer in the source go."""
        for n, sheet in enumerate(sheets):
            table = sheet.get("table") or {}
            fields = {
                "page": page,
                "title": str(sheet["title"]).strip(),
                "kind": sheet.get("kind") or Printable.Kind.TEMPLATE,
                "intro": str(sheet.get("intro") or "").strip(),
                "cards": [str(c).strip() for c in sheet.get("cards") or []],
                "columns": [str(c) for c in table.get("columns") or []],
                "rows": [
                    [str(c) if c is not None else "" for c in r] for r in table.get("rows") or []
                ],
                "body": md(sheet.get("text")),
                "answers": md(sheet.get("answers")),
                "sort_order": n,
            }
            self.upsert_snippet(Printable, "key", {"key": str(sheet["key"])}, fields)
        keep = [str(s["key"]) for s in sheets]
        Printable.objects.filter(page=page).exclude(key__in=keep).delete()

    def upsert_guide(self, key: str, page: Page, spec: dict) -> None:
        if not spec:
            return
        fields = {name: md(spec.get(name)) for name in TeacherGuide.SECTIONS}
        guide = TeacherGuide.objects.filter(page=page, locale=page.locale).first()
        wanted = digest(fields)
        record = self.record(key)
        if guide and record and record.digest == wanted:
            self.report.count("unchanged")
            return
        if (
            guide
            and record
            and not self.force
            and digest(self.current_fields(guide, fields)) != record.digest
        ):
            self.report.skipped.append(key)
            return
        outcome = "updated" if guide else "created"
        guide, _ = TeacherGuide.objects.update_or_create(
            page=page, locale=page.locale, defaults=fields
        )
        CurriculumLoad.objects.update_or_create(
            key=key, defaults={"digest": wanted, "object_id": guide.pk}
        )
        self.report.count(outcome)

    def load_quiz(self, page: Page, key: str, spec: dict, path: Path) -> None:
        try:
            outcome = quiz_load(spec=spec, page=page, key=key)
        except ValueError as exc:
            raise CurriculumError(f"{where(path, spec)}: quiz: {exc}") from exc
        self.report.count(outcome)

    # Blocks -----------------------------------------------------------------------------

    def build_block(self, block: dict) -> tuple:
        ((kind, value),) = block.items()
        return BLOCK_BUILDERS[kind](self, value)

    def fact(self, v):
        return (
            "fact",
            {
                "statement": str(v["statement"]).strip(),
                "figure": str(v.get("figure") or ""),
                "unit": str(v.get("unit") or ""),
                "sources": [self.sources[str(k)] for k in v["sources"]],
                "reviewed": as_date(v.get("reviewed")),
            },
        )

    def image(self, v):
        image = self.images[v["key"]]
        return (
            "diagram",
            {
                "image": image,
                "alt": image.description,
                "caption": v.get("caption") or image.title,
                "credit": image.credit,
                "licence": image.licence,
                "long_description": v.get("long_description") or self.image_text.get(v["key"], ""),
            },
        )

    def chart(self, v):
        return (
            "chart",
            {
                "title": v["title"],
                "kind": v.get("kind") or "bar",
                "unit": v.get("unit") or "",
                "label": v.get("label") or "",
                "summary": v.get("summary") or "",
                "rows": [{"label": str(r[0]), "value": Decimal(str(r[1]))} for r in v["rows"]],
                "sources": [self.sources[str(k)] for k in v["sources"]],
            },
        )

    def activity(self, v):
        """Materials are things to gather (text) or printable sheets (`{sheet: key}`), which
        become links to the sheet and pages of the pack."""
        materials = v.get("materials") or []
        sheets = getattr(self, "sheets", {})
        return (
            "activity",
            {
                "title": v["title"],
                "kind": v.get("kind") or "hands_on",
                "minutes": int(v.get("minutes") or 10),
                "materials": [str(m) for m in materials if not isinstance(m, dict)],
                "sheets": [
                    {"key": str(m["sheet"]), "title": str(sheets[str(m["sheet"])]["title"])}
                    for m in materials
                    if isinstance(m, dict) and str(m.get("sheet")) in sheets
                ],
                "steps": [str(s) for s in v.get("steps") or []],
                "support": v.get("support") or "",
                "stretch": v.get("stretch") or "",
            },
        )

    def voice(self, v):
        source = self.sources.get(str(v.get("source"))) if v.get("source") else None
        return (
            "voice",
            {
                "quote": str(v["quote"]).strip(),
                "attribution": v["attribution"],
                "context": v.get("context") or "",
                "source": source,
            },
        )


def short_alt(text: str, limit: int = 250) -> str:
    """Alt text is short; the full description becomes the diagram's text version."""
    text = " ".join(str(text).split())
    first = text.split(". ")[0].rstrip(".") + "."
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"


def as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if value:
        return datetime.date.fromisoformat(str(value))
    return datetime.date.today()


def svg_size(path: Path) -> tuple[int, int]:
    """Width and height of an SVG from its attributes or viewBox (Pillow cannot read SVG)."""
    import re

    head = path.read_text(encoding="utf-8")[:2000]
    box = re.search(r'viewBox="\s*[\d.+-]+[\s,]+[\d.+-]+[\s,]+([\d.]+)[\s,]+([\d.]+)"', head)
    if box:
        return round(float(box[1])), round(float(box[2]))
    width = re.search(r'\bwidth="([\d.]+)', head)
    height = re.search(r'\bheight="([\d.]+)', head)
    return (round(float(width[1])) if width else 800, round(float(height[1])) if height else 600)


BLOCK_BUILDERS = {
    "text": lambda self, v: ("text", md(v)),
    "fact": CurriculumLoader.fact,
    "term": lambda self, v: ("term", {"term": self.terms[v]}),
    "image": CurriculumLoader.image,
    "activity": CurriculumLoader.activity,
    "discussion": lambda self, v: (
        "discussion",
        {
            "question": v["question"],
            "viewpoints": [
                {"stakeholder": p["stakeholder"], "view": p["view"]}
                for p in v.get("viewpoints") or []
            ],
        },
    ),
    "voice": CurriculumLoader.voice,
    "chart": CurriculumLoader.chart,
    "check": lambda self, v: ("check", {"questions": [str(q) for q in v]}),
    "quiz": lambda self, v: ("quiz", {"heading": (v or {}).get("heading") or "Quiz"}),
    "video": lambda self, v: (
        "video",
        {
            "title": v["title"],
            "url": v["url"],
            "duration": v.get("duration") or "",
            "transcript": v.get("transcript") or "",
        },
    ),
}
