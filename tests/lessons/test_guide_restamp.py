"""Migration 0006: teacher guides the loader wrote are still the loader's after three new
guide sections, and a guide an editor changed is still left alone."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from lessons.models import CurriculumLoad, TeacherGuide

pytestmark = pytest.mark.django_db

migration = importlib.import_module("lessons.migrations.0006_guide_digests_cover_new_sections")


def test_unedited_guides_are_restamped_and_edited_ones_are_not(curriculum):
    lessons = curriculum["lessons"]["t1"]
    loaded, edited = (TeacherGuide.objects.get(page=lesson) for lesson in lessons[:2])
    for guide in (loaded, edited):
        CurriculumLoad.objects.create(
            key=f"guide:test/{guide.pk}",
            object_id=guide.pk,
            digest=migration._digest({n: getattr(guide, n) for n in migration.OLD}),
        )
    TeacherGuide.objects.filter(pk=edited.pk).update(tips="<p>An editor's tip.</p>")
    migration.restamp(apps, None)
    fresh = CurriculumLoad.objects.get(object_id=loaded.pk, key__startswith="guide:test")
    assert fresh.digest == migration._digest({n: getattr(loaded, n) for n in migration.NEW})
    kept = CurriculumLoad.objects.get(object_id=edited.pk, key__startswith="guide:test")
    assert kept.digest == migration._digest({n: getattr(edited, n) for n in migration.OLD})
    assert set(migration.NEW) == set(TeacherGuide.SECTIONS)
