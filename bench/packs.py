"""Pack build speed: our pipeline vs plain WeasyPrint on the same HTML, in the same run.

    python bench/packs.py [--runs 3] [--edition student]

Loads the curriculum into a fresh PostgreSQL database (load_curriculum), then in a new process
(so "cold" is a cold worker) builds the student pack of the largest module-tier: cold, then
warm (median of --runs), then renders the very same HTML with plain WeasyPrint. Prints seconds,
the ratio (goal <= 1.2), pages, a 12-page equivalent (goal <= 1.0 s warm) and peak RSS
(goal <= 300 MB). Last line: a JSON summary for bench/run_all.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import PY, ROOT, bench_env, fresh_database, manage  # noqa: E402

DB = "reelearn_bench_packs"


def outer(args) -> None:
    env = bench_env(DB)
    fresh_database(env, DB)
    if (ROOT / "lessons" / "management" / "commands" / "load_curriculum.py").exists():
        manage(env, "load_curriculum")
        source = "load_curriculum"
    else:  # before the loader existed: the test factories' small curriculum
        code = ("from tests.factories import make_curriculum; "
                "make_curriculum(tiers=('t1','t2','t3'), lessons_per_tier=6)")
        subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)
        source = "make_curriculum"
    proc = subprocess.run([PY, __file__, "--inner", "--runs", str(args.runs), "--edition",
                           args.edition, "--source", source], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    sys.stdout.write(proc.stdout)


def inner(args) -> None:
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelearn.settings.base")
    django.setup()
    import weasyprint
    from django.contrib.staticfiles import finders

    from lessons.models import ModuleTierPage
    from reelearn.packs import rendering, services
    from reelearn.packs.content import content_hash, load_page_content, packable_page
    from reelearn.packs.models import Pack

    tiers = ModuleTierPage.objects.live().order_by("path")
    largest = max(tiers, key=lambda t: (t.get_children().live().count(),
                                        sum(len(c.specific.body.raw_data)
                                            for c in t.get_children().live())))
    page = packable_page(largest.pk)

    def pipeline() -> tuple[float, Pack]:
        """What the task does: load, hash, render, WeasyPrint, store, mark READY."""
        Pack.objects.filter(page=page).delete()  # files go too (post_delete)
        started = time.perf_counter()
        content = load_page_content(page=page, edition=args.edition, paper="a4")
        pack = Pack.objects.create(kind=content.kind, target=content.target, page=page,
                                   edition=args.edition, paper="a4",
                                   content_hash=content_hash(content))
        pack = services.pack_claim(pack_id=pack.pk)
        services.pack_build(pack=pack)
        seconds = time.perf_counter() - started
        pack.refresh_from_db()
        assert pack.status == Pack.Status.READY, pack.error
        return seconds, pack

    cold, pack = pipeline()
    warm_runs = [pipeline()[0] for _ in range(args.runs)]
    warm = statistics.median(warm_runs)

    html = rendering.render_html(load_page_content(page=page, edition=args.edition,
                                                   paper="a4"))
    fonts = weasyprint.text.fonts.FontConfiguration()
    fetcher = rendering.LocalFetcher()
    sheets = [weasyprint.CSS(string=rendering._font_css(), font_config=fonts,
                             url_fetcher=fetcher),
              weasyprint.CSS(filename=finders.find("css/pack.css"), font_config=fonts,
                             url_fetcher=fetcher),
              weasyprint.CSS(string="@page { size: A4; }", font_config=fonts)]

    def plain() -> float:
        started = time.perf_counter()
        weasyprint.HTML(string=html, base_url=rendering.BASE_URL, url_fetcher=fetcher) \
            .write_pdf(stylesheets=sheets, font_config=fonts)
        return time.perf_counter() - started

    plain()  # the same warm-up our pipeline had
    plain_warm = statistics.median(plain() for _ in range(args.runs))
    ratio = warm / plain_warm
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_12 = warm * 12 / pack.page_count

    print(f"module-tier        {page.title} ({page.pk}), {len(page.get_children().live())} "
          f"lessons, curriculum from {args.source}")
    print(f"pages              {pack.page_count} ({args.edition} edition, A4, "
          f"{pack.file_size / 1024:.0f} KB)")
    print(f"cold build         {cold:7.3f} s  (new process: fonts, stylesheet, renditions)")
    print(f"warm build         {warm:7.3f} s  (median of {args.runs}: "
          f"{', '.join(f'{s:.3f}' for s in warm_runs)})")
    print(f"plain WeasyPrint   {plain_warm:7.3f} s  (same HTML, same fonts and fetcher)")
    print(f"ratio              {ratio:7.2f}    (goal <= 1.2)")
    print(f"12-page equivalent {per_12:7.3f} s  (goal <= 1.0 s warm)")
    print(f"peak RSS           {rss_mb:7.0f} MB  (goal <= 300 MB)")
    print(json.dumps({"bench": "packs", "rows": [
        {"bench": "packs", "figure": "warm build (s)", "value": round(warm, 3),
         "versus": f"plain WeasyPrint {plain_warm:.3f} s", "ratio": round(ratio, 2),
         "goal": "<= 1.2"},
        {"bench": "packs", "figure": f"cold build, {pack.page_count} pages (s)",
         "value": round(cold, 3), "versus": "", "ratio": "", "goal": ""},
        {"bench": "packs", "figure": "warm, per 12 pages (s)", "value": round(per_12, 3),
         "versus": "", "ratio": "", "goal": "<= 1.0"},
        {"bench": "packs", "figure": "peak RSS (MB)", "value": round(rss_mb),
         "versus": "", "ratio": "", "goal": "<= 300"},
    ]}))


if __name__ == "__main__":
    os.chdir(ROOT)
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edition", choices=["student", "teacher"], default="student")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", default="", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    inner(arguments) if arguments.inner else outer(arguments)
