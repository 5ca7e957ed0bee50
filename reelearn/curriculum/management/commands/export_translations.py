from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lessons.models import CurriculumLoad
from reelearn.curriculum.loader import CURRICULUM_DIR
from reelearn.curriculum.translations import export_file, path_for_key, translations_dir


class Command(BaseCommand):
    help = (
        "Write or refresh the PO files translators fill in, under "
        "lessons/curriculum/translations/<language>/, keeping existing translations."
    )

    def add_arguments(self, parser):
        parser.add_argument("language", help="A language code from settings.LANGUAGES, e.g. my")
        parser.add_argument(
            "keys",
            nargs="+",
            help="Loader keys or prefixes: lesson:M1/t1 (every lesson of M1 at ages 7-11), "
            "tier:M1/t1, module:M1, guide:M1/t1, quiz:M1/t1, term:neodymium",
        )
        parser.add_argument("--path", type=Path, default=CURRICULUM_DIR)

    def handle(self, *args, language: str, keys: list[str], path: Path, **options):
        codes = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
        if language not in codes:
            raise CommandError(f"{language!r} is not one of {', '.join(sorted(codes))}")
        language_dir = translations_dir(path) / language
        for prefix in keys:
            matches = self.expand(prefix)
            if not matches:
                raise CommandError(f"nothing loaded matches {prefix!r}")
            for key in matches:
                file = path_for_key(key, language_dir)
                total, done = export_file(key, language, file)
                self.stdout.write(f"{file.relative_to(path)}: {done}/{total} translated")

    @staticmethod
    def expand(prefix: str) -> list[str]:
        kind, rest = prefix.split(":", 1)
        if kind in ("quiz", "term"):
            return [prefix]
        return sorted(
            CurriculumLoad.objects.filter(key__startswith=prefix)
            .exclude(key__startswith="translation:")
            .values_list("key", flat=True)
        )
