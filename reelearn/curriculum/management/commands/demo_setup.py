"""`manage.py demo_setup`: everything `make run` needs before it serves, in one process.

migrate, collectstatic (only when not in debug: in debug the static files are served from
their folders), load_curriculum and seed_demo used to be five Django start-ups (about 40 s on
a second run); one process pays for Django's start once. Progress goes to stderr, the demo
sign-ins to stdout, so bin/run can print them after the servers' own start-up lines.
"""

from __future__ import annotations

import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Migrate, load the curriculum and seed the demo school (for make run); "
        "prints the demo sign-ins on stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Print the sign-ins as JSON (see seed_demo)."
        )

    def handle(self, *args, json: bool = False, **options):
        started = time.monotonic()
        note = self.stderr.write
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_curriculum", stdout=self.stderr)
        sign_ins = io.StringIO()
        call_command("seed_demo", json=json, stdout=sign_ins, stderr=self.stderr)
        note(f"Set up in {time.monotonic() - started:.1f} s.")
        self.stdout.write(sign_ins.getvalue(), ending="")
