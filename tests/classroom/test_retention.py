"""Retention: classes inactive for REELEARN_CLASS_RETENTION_MONTHS are archived by a task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from reelearn.classroom.models import Classroom, LessonProgress
from reelearn.classroom.tasks import classes_archive_stale_task

from .factories import ClassroomFactory

pytestmark = pytest.mark.django_db


def test_stale_classes_are_archived_once_and_active_ones_kept(teacher, pupil, curriculum):
    long_ago = timezone.now() - timedelta(days=400)
    stale = ClassroomFactory(teacher=teacher, last_activity_at=long_ago)
    busy = ClassroomFactory(teacher=teacher, last_activity_at=long_ago, pupils=[pupil])
    LessonProgress.objects.create(pupil=pupil, page=curriculum["lessons"]["t1"][0])
    fresh = ClassroomFactory(teacher=teacher)
    assert classes_archive_stale_task.delay().get() == 1
    assert Classroom.objects.get(pk=stale.pk).is_archived
    assert not Classroom.objects.get(pk=busy.pk).is_archived
    assert not Classroom.objects.get(pk=fresh.pk).is_archived
    first = Classroom.objects.get(pk=stale.pk).archived_at
    assert classes_archive_stale_task() == 0  # a second run changes nothing
    assert Classroom.objects.get(pk=stale.pk).archived_at == first


def test_retention_zero_switches_it_off(settings, teacher):
    settings.REELEARN_CLASS_RETENTION_MONTHS = 0
    ClassroomFactory(teacher=teacher, last_activity_at=timezone.now() - timedelta(days=4000))
    assert classes_archive_stale_task() == 0


def test_the_task_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["classes-archive-stale"]
    assert entry["task"] == "reelearn.classroom.tasks.classes_archive_stale_task"
    assert entry["schedule"] == 86400
