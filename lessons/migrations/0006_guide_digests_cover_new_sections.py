"""The loader tells an editor's change to a teacher guide from its own by a digest of every
guide section it wrote (reelearn.curriculum.loader.upsert_guide). 0005 added three sections, so
every record's digest covered nine sections where the loader now compares twelve, and every
guide looked edited in the admin. For a guide still as the loader left it, the record is
re-stamped over the twelve sections (the new ones empty, as they are); an edited guide keeps
its old digest and is still left alone."""

import hashlib
import json

from django.db import migrations

OLD = (
    "overview",
    "timings",
    "prior_knowledge",
    "answers",
    "tips",
    "differentiation",
    "safeguarding",
    "balanced_discussion",
    "cross_curricular",
)
NEW = (*OLD, "primer", "awkward_questions", "curriculum_links")


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def restamp(apps, schema_editor):
    CurriculumLoad = apps.get_model("lessons", "CurriculumLoad")
    TeacherGuide = apps.get_model("lessons", "TeacherGuide")
    records = CurriculumLoad.objects.filter(key__startswith="guide:")
    guides = TeacherGuide.objects.in_bulk([r.object_id for r in records])
    for record in records:
        guide = guides.get(record.object_id)
        if guide is None:
            continue
        if _digest({name: getattr(guide, name) for name in OLD}) == record.digest:
            record.digest = _digest({name: getattr(guide, name) for name in NEW})
            record.save(update_fields=["digest"])


class Migration(migrations.Migration):
    dependencies = [("lessons", "0005_teacher_resources_situation_routes")]

    operations = [migrations.RunPython(restamp, migrations.RunPython.noop)]
