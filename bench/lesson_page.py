"""Anonymous lesson page vs a trivial view, on gunicorn + PostgreSQL on loopback.

    python bench/lesson_page.py [--seconds 10]

Prints req/s of both in the same run and their ratio (goal: >= 0.5), plus the SQL queries one
uncached lesson render costs. Last line: a JSON summary for bench/run_all.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import PY, ROOT, bench_env, fresh_database, gunicorn, manage, wrk  # noqa: E402

DB = "reelearn_bench_lessons"


def lesson_url(env: dict) -> str:
    code = (
        "from lessons.models import LessonPage; "
        "p = LessonPage.objects.live().filter(tier='t3').order_by('path').first(); "
        "print(p.url)"
    )
    return (
        subprocess.run(
            [PY, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--cache", choices=["redis", "local"], default="redis")
    args = parser.parse_args()
    extra = {"REDIS_CACHE_URL": "redis://127.0.0.1:6379/8"} if args.cache == "redis" else {}
    env = bench_env(DB, **extra)
    subprocess.run(["redis-cli", "-n", "8", "flushdb"], check=False, capture_output=True)
    fresh_database(env, DB)
    manage(env, "load_curriculum")
    url = lesson_url(env)
    with gunicorn(env) as base:
        trivial = wrk(f"{base}/bench/ping", args.seconds)
        lesson = wrk(f"{base}{url}", args.seconds)
    ratio = lesson / trivial
    print(f"lesson page {url}")
    print(f"trivial view      {trivial:9.1f} req/s")
    print(f"anonymous lesson  {lesson:9.1f} req/s")
    print(f"ratio             {ratio:9.2f}  (goal >= 0.5; cache: {args.cache})")
    print(
        json.dumps(
            {
                "bench": "lesson_page",
                "trivial_rps": round(trivial, 1),
                "lesson_rps": round(lesson, 1),
                "ratio": round(ratio, 3),
            }
        )
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
