"""Queue the packs of every published module (and, with --lessons, every lesson).

    python manage.py build_packs [--edition student|teacher|both] [--paper a4|letter|both]
                                 [--lessons] [--zip]

For a fresh install or after a template change, so schools find packs ready. Packs that are
current already are left alone; the rest are queued for the workers (idempotent).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lessons.models import LessonPage, ModuleTierPage
from reelearn.packs import services
from reelearn.packs.models import Pack


class Command(BaseCommand):
    help = "Queue the packs of every published module-tier (and lesson) that are not current."

    def add_arguments(self, parser):
        parser.add_argument("--edition", choices=["student", "teacher", "both"], default="student")
        parser.add_argument("--paper", choices=["a4", "letter", "both"], default="a4")
        parser.add_argument("--lessons", action="store_true", help="lesson packs too")
        parser.add_argument("--zip", dest="zipped", action="store_true", help="module zips too")

    def handle(self, *args, edition, paper, lessons, zipped, **options):
        editions = Pack.Edition.values if edition == "both" else [edition]
        papers = Pack.Paper.values if paper == "both" else [paper]
        pages = list(ModuleTierPage.objects.live().public().order_by("path"))
        if lessons:
            pages += list(LessonPage.objects.live().public().order_by("path"))
        counts = {"queued": 0, "current": 0}
        for page in pages:
            variants = [(e, p, False) for e in editions for p in papers]
            if zipped and isinstance(page, ModuleTierPage):
                variants += [(Pack.Edition.STUDENT, p, True) for p in papers]
            for page_edition, page_paper, as_zip in variants:
                pack = services.page_pack_request(
                    page=page,
                    edition=page_edition,
                    paper=page_paper,
                    zipped=as_zip,
                    retry_failed=True,
                )
                counts["current" if pack.is_ready else "queued"] += 1
        self.stdout.write(f"{counts['queued']} packs queued, {counts['current']} already current.")
