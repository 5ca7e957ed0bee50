"""Archive inactive classes: their pupils' work leaves the hot tables (see services.archive).

    manage.py archive_classes [--dry-run] [--limit N]   # classes inactive past the retention
    manage.py archive_classes --restore CLASS_ID        # bring one back, exactly

The daily Celery beat task does the first (a batch a day); this command does all of them at
once, lists them first with --dry-run, or restores one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from reelearn.classroom.models import Classroom
from reelearn.classroom.services import (
    classes_archive_stale,
    classes_inactive,
    classroom_work_restore,
)


class Command(BaseCommand):
    help = (
        "Archive classes inactive for REELEARN_CLASS_RETENTION_MONTHS, moving their pupils' "
        "work out of the hot tables; --restore brings one class back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the classes, change nothing."
        )
        parser.add_argument("--limit", type=int, help="Archive at most this many classes.")
        parser.add_argument(
            "--restore", type=int, metavar="CLASS_ID", help="Restore this class's work."
        )

    def handle(self, *args, dry_run=False, limit=None, restore=None, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more.")
        if restore is not None:
            return self._restore(restore)
        months = settings.REELEARN_CLASS_RETENTION_MONTHS
        if not months:
            self.stdout.write("REELEARN_CLASS_RETENTION_MONTHS is 0: classes are never archived.")
            return
        if dry_run:
            found = list(classes_inactive()[:limit])
            for classroom in found:
                self.stdout.write(
                    f"class {classroom.pk}: last activity {classroom.last_activity_at:%Y-%m-%d}"
                )
            self.stdout.write(
                f"{len(found)} classes inactive for over {months} months would be archived."
            )
            return
        count = classes_archive_stale(limit=limit)
        self.stdout.write(f"Archived {count} classes inactive for over {months} months.")

    def _restore(self, class_id: int) -> None:
        classroom = Classroom.objects.filter(pk=class_id).first()
        if classroom is None:
            raise CommandError(f"There is no class {class_id}.")
        try:
            counts = classroom_work_restore(classroom=classroom)
        except IntegrityError as error:
            raise CommandError(
                f"Class {class_id} could not be restored (nothing was changed): {error}"
            ) from error
        if counts is None:
            raise CommandError(f"Class {class_id} has no archived work to restore.")
        rows = ", ".join(f"{n} {key}" for key, n in counts.items())
        self.stdout.write(f"Restored class {class_id}: {rows}.")
