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
    if args.reuse:
        source = "the last run"
    elif (ROOT / "lessons" / "management" / "commands" / "load_curriculum.py").exists():
        fresh_database(env, DB)
        manage(env, "load_curriculum")
        source = "load_curriculum"
    else:  # before the loader existed: the test factories' small curriculum
        fresh_database(env, DB)
        code = (
            "from tests.factories import make_curriculum; "
            "make_curriculum(tiers=('t1','t2','t3'), lessons_per_tier=6)"
        )
        subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)
        source = "make_curriculum"
    proc = subprocess.run(
        [
            PY,
            __file__,
            "--inner",
            "--runs",
            str(args.runs),
            "--edition",
            args.edition,
            "--source",
            source,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
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
    largest = max(
        tiers,
        key=lambda t: (
            t.get_children().live().count(),
            sum(len(c.specific.body.raw_data) for c in t.get_children().live()),
        ),
    )
    page = packable_page(largest.pk)

    def pipeline() -> tuple[float, float, Pack]:
        """What the task does: load, hash, render, WeasyPrint, store, mark READY."""
        Pack.objects.filter(page=page).delete()  # files go too (post_delete)
        wall, cpu = time.perf_counter(), time.process_time()
        content = load_page_content(page=page, edition=args.edition, paper="a4")
        pack = Pack.objects.create(
            kind=content.kind,
            target=content.target,
            page=page,
            edition=args.edition,
            paper="a4",
            content_hash=content_hash(content),
        )
        pack = services.pack_claim(pack_id=pack.pk)
        services.pack_build(pack=pack)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        pack.refresh_from_db()
        assert pack.status == Pack.Status.READY, pack.error
        return wall, cpu, pack

    cold_wall, cold_cpu, pack = pipeline()

    html = rendering.render_html(load_page_content(page=page, edition=args.edition, paper="a4"))
    fonts = weasyprint.text.fonts.FontConfiguration()
    fetcher = rendering.LocalFetcher()
    sheets = [
        weasyprint.CSS(string=rendering._font_css(), font_config=fonts, url_fetcher=fetcher),
        weasyprint.CSS(
            filename=finders.find("css/pack.css"), font_config=fonts, url_fetcher=fetcher
        ),
        weasyprint.CSS(string="@page { size: A4; }", font_config=fonts),
    ]

    def plain() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        weasyprint.HTML(string=html, base_url=rendering.BASE_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=sheets, font_config=fonts
        )
        return time.perf_counter() - wall, time.process_time() - cpu

    plain()  # the same warm-up our pipeline had
    ours, theirs = [], []
    for _ in range(args.runs):  # interleaved, so a busy machine slows both alike
        wall, cpu, pack = pipeline()
        ours.append((wall, cpu))
        theirs.append(plain())
    warm_wall = statistics.median(w for w, _ in ours)
    warm_cpu = statistics.median(c for _, c in ours)
    plain_wall = statistics.median(w for w, _ in theirs)
    plain_cpu = statistics.median(c for _, c in theirs)
    ratio, ratio_wall = warm_cpu / plain_cpu, warm_wall / plain_wall
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_12 = warm_cpu * 12 / pack.page_count
    load = os.getloadavg()[0]

    print(
        f"module-tier        {page.title} ({page.pk}), {len(page.get_children().live())} "
        f"lessons, curriculum from {args.source}"
    )
    print(
        f"pages              {pack.page_count} ({args.edition} edition, A4, "
        f"{pack.file_size / 1024:.0f} KB)"
    )
    print(
        f"machine            {os.cpu_count()} CPUs, load average {load:.1f} "
        "(CPU seconds are this process's own; wall seconds include waiting for a CPU)"
    )
    print(
        f"cold build         {cold_cpu:7.3f} s CPU  {cold_wall:7.3f} s wall  "
        "(new process: fonts, stylesheet, renditions)"
    )
    print(
        f"warm build         {warm_cpu:7.3f} s CPU  {warm_wall:7.3f} s wall  "
        f"(median of {args.runs})"
    )
    print(
        f"plain WeasyPrint   {plain_cpu:7.3f} s CPU  {plain_wall:7.3f} s wall  "
        "(same HTML, fonts and fetcher)"
    )
    print(f"ratio              {ratio:7.2f} CPU    {ratio_wall:7.2f} wall    (goal <= 1.2)")
    print(f"12-page equivalent {per_12:7.3f} s CPU  (warm; goal <= 1.0 s)")
    print(f"peak RSS           {rss_mb:7.0f} MB     (goal <= 300 MB)")
    print(
        json.dumps(
            {
                "bench": "packs",
                "rows": [
                    {
                        "bench": "packs",
                        "figure": f"warm build, {pack.page_count} pages (CPU s)",
                        "value": round(warm_cpu, 3),
                        "versus": f"plain WeasyPrint {plain_cpu:.3f} s",
                        "ratio": round(ratio, 2),
                        "goal": "<= 1.2",
                    },
                    {
                        "bench": "packs",
                        "figure": "warm build (wall s)",
                        "value": round(warm_wall, 3),
                        "versus": f"plain WeasyPrint {plain_wall:.3f} s",
                        "ratio": round(ratio_wall, 2),
                        "goal": f"load {load:.1f}",
                    },
                    {
                        "bench": "packs",
                        "figure": "cold build (CPU s)",
                        "value": round(cold_cpu, 3),
                        "versus": "",
                        "ratio": "",
                        "goal": "",
                    },
                    {
                        "bench": "packs",
                        "figure": "warm, per 12 pages (CPU s)",
                        "value": round(per_12, 3),
                        "versus": "",
                        "ratio": "",
                        "goal": "<= 1.0",
                    },
                    {
                        "bench": "packs",
                        "figure": "peak RSS (MB)",
                        "value": round(rss_mb),
                        "versus": "",
                        "ratio": "",
                        "goal": "<= 300",
                    },
                ],
            }
        )
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of the last run (skip migrate and load)",
    )
    parser.add_argument("--edition", choices=["student", "teacher"], default="student")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", default="", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    inner(arguments) if arguments.inner else outer(arguments)
