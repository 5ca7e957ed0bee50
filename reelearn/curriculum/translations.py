"""Translations of the curriculum, kept in the repository beside it as PO files.

    lessons/curriculum/translations/<language>/<kind>/<name>.po

where `<kind>/<name>` is the loader's key for the English object with ":" made "/":
`lesson/M1/t1/meet-the-family.po`, `tier/M1/t1.po`, `module/M1.po`, `guide/M1/t1.po`,
`quiz/M1/t1.po`, `term/neodymium.po`.

Each entry's msgid is an English string exactly as wagtail-localize cuts it from the object (a
paragraph, a heading, a choice); its msgstr is the translation. Matching by the English words,
not by wagtail-localize's contexts (which name StreamField block ids, different in every
database), lets the same file load into any database, and means a string whose English changed
simply stops matching: it shows in English, and the translation status report lists it, until a
translator updates the file. Entries marked fuzzy are left out.

`manage.py export_translations` writes (or refreshes) these files from the English objects for
translators; `load_curriculum` loads them after the English, idempotently, through
wagtail-localize (so a loaded translation is the same kind of object as one made in the admin,
and later edits in the admin or a PO upload carry on from it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from lessons.models import CurriculumLoad, TeacherGuide, Term
from reelearn.quizzes.models import Quiz

PAGE_KINDS = ("module", "tier", "lesson", "route")
# Loaded in this order: terms first (lessons point at them), pages parents first.
KIND_ORDER = {"term": 0, "module": 1, "tier": 2, "lesson": 3, "route": 4, "quiz": 5, "guide": 6}
TOOL_NAME = "REElearn curriculum files"


def translations_dir(root: Path) -> Path:
    return Path(root) / "translations"


def key_for_path(path: Path, language_dir: Path) -> str:
    kind, *rest = path.relative_to(language_dir).with_suffix("").parts
    return f"{kind}:{'/'.join(rest)}"


def path_for_key(key: str, language_dir: Path) -> Path:
    kind, rest = key.split(":", 1)
    return language_dir / kind / f"{rest}.po"


def english_object(key: str):
    """The English object the loader wrote under `key`, or None."""
    kind, rest = key.split(":", 1)
    english = {"locale__language_code": settings.LANGUAGE_CODE}
    if kind == "term":
        return Term.objects.filter(slug=rest, **english).first()
    if kind == "quiz":
        return Quiz.objects.filter(source_key=rest, **english).first()
    record = CurriculumLoad.objects.filter(key=key).first()
    if record is None:
        return None
    if kind == "guide":
        return TeacherGuide.objects.filter(pk=record.object_id, **english).first()
    if kind in PAGE_KINDS:
        page = Page.objects.filter(pk=record.object_id, **english).first()
        return page.specific if page else None
    return None


def english_version(key: str, obj) -> str:
    """What changes when the English object does (a changed English reloads its translation)."""
    if isinstance(obj, Quiz):
        return obj.source_digest or str(obj.updated_at)
    return CurriculumLoad.objects.filter(key=key).values_list("digest", flat=True).first() or ""


BLOCK_ID = re.compile(r"\.?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def field_name(path: str) -> str:
    """wagtail-localize's context path without block ids (they differ in every database), as a
    hint for translators: "body.fact.statement", "questions.choices.feedback"."""
    return BLOCK_ID.sub("", path)


def source_strings(obj) -> list[tuple[str, str]]:
    """(English string, where it is) for every translatable string of `obj`, in order."""
    from wagtail_localize.models import StringSegment, TranslationSource

    source, _created = TranslationSource.update_or_create_from_instance(obj)
    segments = (
        StringSegment.objects.filter(source=source)
        .select_related("string", "context")
        .order_by("order")
    )
    return [(s.string.data, s.context.path) for s in segments]


@dataclass
class TranslationReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing_objects: list[str] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        text = f"{len(self.loaded)} translations loaded, {self.unchanged} unchanged"
        if self.missing_objects:
            text += f", {len(self.missing_objects)} naming nothing"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return text


def load_translations(root: Path, *, report: TranslationReport | None = None):
    """Load every PO file under `root`/translations (idempotent: an unchanged file over an
    unchanged English object writes nothing)."""
    report = report or TranslationReport()
    base = translations_dir(root)
    if not base.exists():
        return report
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    files = []
    for language_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        if language_dir.name not in languages:
            continue
        for path in language_dir.rglob("*.po"):
            key = key_for_path(path, language_dir)
            files.append((KIND_ORDER.get(key.split(":")[0], 9), key, language_dir.name, path))
    for _order, key, language, path in sorted(files):
        try:
            load_one(key, language, path, report)
        except (ValidationError, DatabaseError) as error:
            # One file that does not fit (a translation longer than its field, say) must not
            # stop the others: it is reported, and its object stays as it was.
            report.failed[f"{language}/{key}"] = str(error).strip().splitlines()[0][:300]
    return report


def load_one(key: str, language: str, path: Path, report: TranslationReport) -> None:
    from wagtail_localize.models import Translation

    obj = english_object(key)
    if obj is None:
        report.missing_objects.append(f"{language}/{key}")
        return
    content = path.read_bytes()
    if not any(entry.msgstr for entry in polib.pofile(content.decode("utf-8"))):
        return  # a file nobody has started translating yet: no page of English in disguise
    wanted = hashlib.sha256(content + english_version(key, obj).encode()).hexdigest()
    record_key = f"translation:{language}:{key}"
    record = CurriculumLoad.objects.filter(key=record_key).first()
    locale = Locale.objects.get(language_code=language)
    if record and record.digest == wanted and obj.get_translation_or_none(locale) is not None:
        report.unchanged += 1
        return
    with transaction.atomic():
        po = polib.pofile(content.decode("utf-8"))
        from wagtail_localize.models import TranslationSource

        source, _created = TranslationSource.update_or_create_from_instance(obj)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        report.untranslated[f"{language}/{key}"] = import_by_text(translation, po)
        translation.save_target(publish=True)
        target = obj.get_translation(locale)
        CurriculumLoad.objects.update_or_create(
            key=record_key, defaults={"digest": wanted, "object_id": target.pk}
        )
    report.loaded.append(f"{language}/{key}")


def import_by_text(translation, po: polib.POFile) -> int:
    """Give each English string of the translation's source the file's translation of the same
    words. Returns how many strings the file does not translate."""
    from wagtail_localize.models import StringSegment, StringTranslation

    wanted = {
        entry.msgid: entry.msgstr
        for entry in po
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    }
    missing = 0
    now = timezone.now()
    segments = StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    )
    for segment in segments:
        text = wanted.get(segment.string.data)
        if not text:
            missing += 1
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": TOOL_NAME,
                "updated_at": now,
                "has_error": False,
                "field_error": "",
            },
        )
    return missing


def export_file(key: str, language: str, path: Path) -> tuple[int, int]:
    """Write (or refresh) the PO file for `key` in `language`: every English string, keeping the
    file's existing translations of the same words. Returns (strings, translated)."""
    obj = english_object(key)
    if obj is None:
        raise LookupError(f"nothing was loaded under {key!r}")
    old = {}
    if path.exists():
        old = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "REElearn curriculum",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "X-REElearn-Object": key,
    }
    seen = set()
    for text, where in source_strings(obj):
        if text in seen:
            continue
        seen.add(text)
        po.append(polib.POEntry(msgid=text, msgstr=old.get(text, ""), comment=field_name(where)))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return len(po), sum(1 for e in po if e.msgstr)
