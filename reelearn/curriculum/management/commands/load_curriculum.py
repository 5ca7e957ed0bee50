from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reelearn.curriculum.loader import CURRICULUM_DIR, CurriculumError, CurriculumLoader
from reelearn.curriculum.translations import load_translations


class Command(BaseCommand):
    help = "Load lessons/curriculum/ into Wagtail pages (idempotent; see its FORMAT.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=CURRICULUM_DIR,
            help="Folder holding the curriculum source files.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite pages and snippets that editors changed in the admin.",
        )

    def handle(self, *args, path: Path, force: bool, **options):
        try:
            report = CurriculumLoader(path, force=force).run()
        except CurriculumError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(f"Curriculum: {report}")
        translations = load_translations(path)
        self.stdout.write(f"Translations: {translations}")
        for name in translations.missing_objects:
            self.stdout.write(f"  a translation file names nothing loaded: {name}")
        for name, problem in translations.failed.items():
            self.stdout.write(f"  not loaded (the rest were): {name}: {problem}")
        for key in report.skipped:
            self.stdout.write(
                f"  left alone (edited since the last load; --force overwrites): {key}"
            )
