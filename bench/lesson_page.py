"""A lesson page, anonymous and for a signed-in pupil, vs a trivial view, on gunicorn +
PostgreSQL on loopback with the Redis cache.

    python bench/lesson_page.py [--seconds 10] [--cache redis|local] [--reuse]

Phases in one run, each with wrk: the trivial view, the lesson page for a visitor (no cookie:
the anonymous page cache), the same lesson for a pupil signed in through the real sign-in form
(the browser's cookies: a page of their own each time, progress already recorded), and, for
reference, the trivial view with the pupil's cookies (the floor of any signed-in page). Prints
the req/s of each, their ratios to the trivial view (goals: anonymous >= 0.8, signed-in
>= 0.3), the CPU per request of gunicorn and of the bench database's PostgreSQL backends
(steadier than req/s on a busy machine), and the SQL queries of the pupil's page. Last line: a
JSON summary for bench/run_all.py.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import (  # noqa: E402
    PY,
    ROOT,
    WrkRun,
    bench_env,
    fresh_database,
    gunicorn,
    manage,
    wrk,
)

DB = "reelearn_bench_lessons"
PUPIL, PASSWORD = "bench-pupil", "bench pupil password 7"


def lesson_url(env: dict) -> str:
    return shell(
        env,
        "from lessons.models import LessonPage; "
        "p = LessonPage.objects.live().filter(tier='t3').order_by('path').first(); "
        "print(p.url)",
    )


def shell(env: dict, code: str) -> str:
    """The last line `code` prints, run by `manage.py shell` against the bench database."""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def make_pupil(env: dict) -> None:
    shell(
        env,
        "from reelearn.accounts.models import User; "
        f"u = User(username={PUPIL!r}, display_name='Bench P.', role=User.Role.PUPIL); "
        f"u.set_password({PASSWORD!r}); u.save(); print(u.pk)",
    )


def sign_in(base: str) -> str:
    """The cookies (session and CSRF) a pupil's browser holds after the real sign-in form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/sign-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": PUPIL, "password": PASSWORD}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/accounts/sign-in/", data=body))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("the bench pupil could not sign in")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def pupil_queries(env: dict, url: str) -> int:
    """SQL queries of the pupil's lesson page, warm (as in the run: the shared parts cached,
    the progress recorded), measured in one process against the bench database and cache."""
    return int(
        shell(
            env,
            "from django.db import connection; "
            "from django.test import Client; from django.test.utils import CaptureQueriesContext; "
            "from reelearn.accounts.models import User; "
            "c = Client(HTTP_HOST='127.0.0.1'); "
            f"c.force_login(User.objects.get(username={PUPIL!r})); c.get({url!r}); "
            "ctx = CaptureQueriesContext(connection)\n"
            "with ctx: r = c.get(" + repr(url) + ")\n"
            "assert r.status_code == 200, r.status_code\n"
            "print(len(ctx))",
        )
    )


def cpu_ratio(trivial: WrkRun, run: WrkRun) -> str:
    """The trivial view's CPU per request over `run`'s (gunicorn, PostgreSQL and wrk)."""
    if not run.cpu_ms:
        return ""
    return f"; by CPU per request {sum(trivial.cpu_ms.values()) / sum(run.cpu_ms.values()):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--cache", choices=["redis", "local"], default="redis")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the last run's database (curriculum, pupil)"
    )
    args = parser.parse_args()
    extra = {"REDIS_CACHE_URL": "redis://127.0.0.1:6379/8"} if args.cache == "redis" else {}
    env = bench_env(DB, **extra)
    subprocess.run(["redis-cli", "-n", "8", "flushdb"], check=False, capture_output=True)
    if not args.reuse:
        fresh_database(env, DB)
        manage(env, "load_curriculum")
        make_pupil(env)
    url = lesson_url(env)
    groups = {"gunicorn": "--bind 127.0.0.1:8765", "postgres": f" {DB} "}
    half = max(1, args.seconds // 2)
    with gunicorn(env) as base:
        cookie = sign_in(base)
        # The trivial view half before the lesson page's phases and half after, averaged, so
        # that a machine whose speed drifts (other work on it) moves both sides alike.
        before = wrk(f"{base}/bench/ping", half, cpu_groups=groups)
        lesson = wrk(f"{base}{url}", args.seconds, cpu_groups=groups)
        pupil = wrk(f"{base}{url}", args.seconds, headers={"Cookie": cookie}, cpu_groups=groups)
        # For reference, not a goal: the trivial view with the pupil's cookie. The middleware
        # loads the session and the user for every signed-in request (the second factor's
        # check), so this is the floor of any signed-in page before its own work.
        floor = wrk(
            f"{base}/bench/ping", args.seconds, headers={"Cookie": cookie}, cpu_groups=groups
        )
        after = wrk(f"{base}/bench/ping", half, cpu_groups=groups)
    trivial = WrkRun(
        (before.rps + after.rps) / 2,
        {g: (before.cpu_ms[g] + after.cpu_ms[g]) / 2 for g in before.cpu_ms},
    )
    queries = pupil_queries(env, url)
    ratio, pupil_ratio = lesson.rps / trivial.rps, pupil.rps / trivial.rps
    print(f"lesson page {url}")
    runs = (
        ("trivial view", trivial),
        ("anonymous lesson", lesson),
        ("pupil", pupil),
        ("signed-in floor", floor),
    )
    for name, run in runs:
        cpu = ", ".join(f"{group} {ms:.2f}" for group, ms in run.cpu_ms.items())
        print(f"{name:17s} {run.rps:9.1f} req/s   CPU ms per request: {cpu or 'n/a'}")
    print(f"trivial view: {before.rps:.1f} req/s before, {after.rps:.1f} after")
    print(f"ratio anonymous   {ratio:9.2f}  (goal >= 0.8){cpu_ratio(trivial, lesson)}")
    print(f"ratio signed-in   {pupil_ratio:9.2f}  (goal >= 0.3){cpu_ratio(trivial, pupil)}")
    floor_ratio = floor.rps / trivial.rps
    print(f"ratio floor       {floor_ratio:9.2f}  (reference){cpu_ratio(trivial, floor)}")
    print(f"pupil's queries   {queries:9d}  (goal <= 10; cache: {args.cache})")
    versus = f"trivial view {trivial.rps:.1f} req/s"
    rows = [
        {
            "bench": "lesson page",
            "figure": "anonymous lesson req/s",
            "value": round(lesson.rps, 1),
            "versus": versus,
            "ratio": round(ratio, 2),
            "goal": ">= 0.8",
        },
        {
            "bench": "lesson page",
            "figure": "signed-in pupil's lesson req/s",
            "value": round(pupil.rps, 1),
            "versus": versus,
            "ratio": round(pupil_ratio, 2),
            "goal": ">= 0.3",
        },
        {
            "bench": "lesson page",
            "figure": "signed-in pupil's lesson queries",
            "value": queries,
            "goal": "<= 10",
        },
    ]
    print(
        json.dumps(
            {
                "bench": "lesson_page",
                "trivial_rps": round(trivial.rps, 1),
                "lesson_rps": round(lesson.rps, 1),
                "ratio": round(ratio, 3),
                "pupil_rps": round(pupil.rps, 1),
                "pupil_ratio": round(pupil_ratio, 3),
                "pupil_queries": queries,
                "signed_in_floor_rps": round(floor.rps, 1),
                "cpu_ms": {
                    name: {group: round(ms, 3) for group, ms in run.cpu_ms.items()}
                    for name, run in runs
                },
                "rows": rows,
            }
        )
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
