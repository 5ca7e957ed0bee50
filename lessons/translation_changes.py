"""What changed in the English since wagtail-localize last took its strings.

wagtail-localize keeps, per English object, a TranslationSource: the content and its segments
(strings, rich-text templates, links to other objects, synchronised values) as they were when
translation started or was last synced. The English object now, cut into segments the same way
(`extract_segments`), against those stored segments says what a sync would bring: the strings
to translate again and the other content it would copy.

Any number of objects costs a fixed number of queries: the English objects are loaded per model
with what extraction reads (foreign keys, child rows, and the snippets StreamField blocks choose,
fetched for all objects at once), and the stored segments in one query per kind.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.text import capfirst
from modelcluster.fields import ParentalKey
from modelcluster.models import get_field_value, get_serializable_data_for_fields
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    StringSegment,
    TemplateSegment,
    TranslationSource,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments

UUID_LIKE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class StringChange:
    """One English string a translation lacks (`after`) or no longer needs (`before`)."""

    where: str
    before: str = ""
    after: str = ""


@dataclass
class Changes:
    strings: list[StringChange] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # where content a sync copies has changed

    def __bool__(self) -> bool:
        return bool(self.strings or self.other)


def english_changes(sources: list[TranslationSource]) -> dict[int, Changes]:
    """Changes since each source's last sync, by source id; sources whose object is gone (or
    unchanged) are left out."""
    instances = _load_instances(sources)
    stored = _stored_segments([s.pk for s in sources])
    changes = {}
    for source in sources:
        instance = instances.get(source.pk)
        if instance is None:
            continue
        found = _compare(instance, source, stored[source.pk])
        if found:
            changes[source.pk] = found
    return changes


# --- Loading --------------------------------------------------------------------------------


def _load_instances(sources: list[TranslationSource]) -> dict[int, models.Model]:
    by_model: dict[type, list[TranslationSource]] = defaultdict(list)
    for source in sources:
        model = ContentType.objects.get_for_id(source.specific_content_type_id).model_class()
        if model is not None:
            by_model[model].append(source)
    found = {}
    for model, group in by_model.items():
        keys = {s.object_id: s for s in group}
        rows = list(
            _extraction_queryset(model).filter(
                translation_key__in=keys, locale_id__in={s.locale_id for s in group}
            )
        )
        for name in _stream_fields(model):
            prefetch_streams(rows, name)
        for row in rows:
            source = keys.get(row.translation_key)
            if source is not None and row.locale_id == source.locale_id:
                found[source.pk] = row
    return found


def _extraction_queryset(model):
    """The model's rows with what extraction and comparison read, loaded in advance."""
    select, prefetch = _related_paths(model)
    return model._default_manager.select_related(*select).prefetch_related(*prefetch)


def _related_paths(model, prefix: str = "") -> tuple[list[str], list[str]]:
    select, prefetch = [], []
    for translatable in get_translatable_fields(model):
        model_field = model._meta.get_field(translatable.field_name)
        if isinstance(model_field, models.ForeignKey):
            (prefetch if prefix else select).append(prefix + model_field.name)
        elif _is_child_relation(model_field):
            name = prefix + model_field.get_accessor_name()
            prefetch.append(name)
            if issubclass(model_field.related_model, TranslatableMixin):
                child_select, child_prefetch = _related_paths(
                    model_field.related_model, prefix=name + "__"
                )
                prefetch += child_select + child_prefetch
    return select, prefetch


def _is_child_relation(model_field) -> bool:
    return isinstance(model_field, models.ManyToOneRel) and isinstance(
        model_field.remote_field, ParentalKey
    )


def _stream_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, StreamField)]


def prefetch_streams(instances: list[models.Model], name: str) -> None:
    """Read the StreamField `name` of every instance at once: the blocks that choose snippets,
    pages or images fetch them in one query per block type for all instances, where reading
    each instance's stream alone queries once per block type per instance."""
    if not instances:
        return
    stream_field = instances[0]._meta.get_field(name)
    raw = [list(stream_field.value_from_object(obj).raw_data) for obj in instances]
    together = StreamValue(
        stream_field.stream_block, [item for items in raw for item in items], True
    )
    children = list(together)
    start = 0
    for obj, items in zip(instances, raw, strict=True):
        mine = children[start : start + len(items)]
        start += len(items)
        setattr(
            obj,
            stream_field.attname,
            StreamValue(
                stream_field.stream_block,
                [(child.block_type, child.value, child.id) for child in mine],
            ),
        )


def _stored_segments(source_ids: list[int]) -> dict[int, Counter]:
    stored: dict[int, Counter] = defaultdict(Counter)
    for source_id, path, data in StringSegment.objects.filter(source_id__in=source_ids).values_list(
        "source_id", "context__path", "string__data"
    ):
        stored[source_id][("string", path, data)] += 1
    for source_id, path, template in TemplateSegment.objects.filter(
        source_id__in=source_ids
    ).values_list("source_id", "context__path", "template__template"):
        stored[source_id][("template", path, template)] += 1
    for source_id, path, key in RelatedObjectSegment.objects.filter(
        source_id__in=source_ids
    ).values_list("source_id", "context__path", "object_id"):
        stored[source_id][("related", path, str(key))] += 1
    for source_id, path, data_json in OverridableSegment.objects.filter(
        source_id__in=source_ids
    ).values_list("source_id", "context__path", "data_json"):
        stored[source_id][("value", path, _canonical(json.loads(data_json)))] += 1
    return stored


# --- Comparing ------------------------------------------------------------------------------


def _compare(instance, source: TranslationSource, stored: Counter) -> Changes:
    now = Counter(_segment_key(segment) for segment in extract_segments(instance))
    added, removed = now - stored, stored - now
    changes = Changes()
    changes.strings = _string_changes(instance, added, removed)
    other = {
        _describe(instance, path) for kind, path, _value in (added + removed) if kind != "string"
    }
    other.update(_synchronised_changes(instance, source))
    changes.other = sorted(other)
    return changes


def _segment_key(segment) -> tuple[str, str, str]:
    if isinstance(segment, StringSegmentValue):
        return ("string", segment.path, segment.string.data)
    if isinstance(segment, TemplateSegmentValue):
        return ("template", segment.path, segment.template)
    if isinstance(segment, RelatedObjectSegmentValue):
        return ("related", segment.path, str(segment.translation_key))
    if isinstance(segment, OverridableSegmentValue):
        return ("value", segment.path, _canonical(segment.data))
    raise TypeError(type(segment).__name__)


def _canonical(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True)


def _string_changes(instance, added: Counter, removed: Counter) -> list[StringChange]:
    """Strings now in the English and not in the source (`after`), and the reverse (`before`),
    paired where one string at a place replaced one other."""
    by_path: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for kind, path, data in sorted(removed.elements()):
        if kind == "string":
            by_path[path][0].append(data)
    for kind, path, data in sorted(added.elements()):
        if kind == "string":
            by_path[path][1].append(data)
    found = []
    for path, (before, after) in by_path.items():
        where = _describe(instance, path)
        if len(before) == 1 and len(after) == 1:
            found.append(StringChange(where, before[0], after[0]))
        else:
            found += [StringChange(where, before=text) for text in before]
            found += [StringChange(where, after=text) for text in after]
    return found


def _synchronised_changes(instance, source: TranslationSource) -> set[str]:
    """Where a synchronised value (copied, not translated: a number, a choice, child rows) is
    not what the source holds."""
    stored = json.loads(source.content_json)
    changed = set()
    for translatable in get_translatable_fields(type(instance)):
        if translatable.is_translated(instance) or not translatable.is_synchronized(instance):
            continue
        model_field = instance._meta.get_field(translatable.field_name)
        if _is_child_relation(model_field):
            name = model_field.get_accessor_name()
            value = [get_serializable_data_for_fields(c) for c in getattr(instance, name).all()]
        elif getattr(model_field, "concrete", False) and not model_field.many_to_many:
            name = model_field.name
            value = get_field_value(model_field, instance)
        else:
            continue
        if name in stored and _canonical(value) != _canonical(stored[name]):
            changed.add(_describe(instance, name))
    return changed


def _describe(instance, path: str) -> str:
    """A segment's place as an editor reads it: "Body › statement" for
    "body.<block id>.statement"."""
    parts = [part for part in path.split(".") if part and not UUID_LIKE.match(part)]
    if not parts:
        return path
    try:
        model_field = instance._meta.get_field(parts[0])
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, models.ForeignObjectRel):
        label = model_field.related_model._meta.verbose_name_plural
    else:
        label = getattr(model_field, "verbose_name", None) or parts[0].replace("_", " ")
    return " › ".join([str(capfirst(label)), *(p.replace("_", " ") for p in parts[1:])])
