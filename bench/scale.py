"""A district's data (100,000 pupils, 1M answers): is every pupil and teacher page as quick as on
a small database, with the same number of queries?

    python bench/scale.py [--scale 1.0] [--requests 40] [--no-archive] [--reuse]

1. A fresh database (`reelearn_bench_scale`): migrate, load_curriculum, seed_demo (the demo
   school), then the *probe class* of bench/district.py: 30 pupils × 20 quizzes, all taken.
   That small database is copied (`reelearn_bench_scale_small`).
2. The district (`--scale` times the issue's sizes; the probe class keeps its shape) is loaded
   into the first with COPY, then ANALYZE.
3. Queries per request, on each database: counted in this process with Django's test client,
   signed in with a real session (gunicorn cannot report them; the code and data are the same).
4. Timings: two gunicorns with production's settings, one per database, sharing the Redis cache
   (the rows they could both cache are the same rows under the same ids). Four real sign-ins on
   each (the demo teacher and a demo pupil, the probe class's teacher and first pupil); then
   each endpoint is requested `--requests` times over HTTP with the session cookies, each
   request sent to both servers in turn (which first alternates), so that a machine whose
   speed drifts moves both sides alike: p50 and p95 of each.
5. Unless `--no-archive`: `manage.py archive_classes` moves the district's stale classes out of
   the hot tables (timed), and `--restore` brings one back (timed).

Endpoints: a pupil's "My work", opening their open attempt, an autosave into it (the API's PUT
with the session cookie and CSRF header, as static/js/quiz.js sends it); the teacher's class
list, class page, gradebook (30 pupils × 20 quizzes), item analysis of the hot quiz (10,000
attempts across the district at full scale), the class export (zip) and the pupil list (API).
Goal (DESIGN.md): each within 2× its small-data p50, with the same queries. `--reuse` starts
from the database an earlier run prepared (step 1 before the probe class, kept as a template).
Last line: a JSON summary for bench/run_all.py. PostgreSQL at BENCH_PG, Redis database
BENCH_SCALE_CACHE_DB (default 6) for the cache, the broker at BENCH_BROKER (default 9).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from district import District, Sizes  # noqa: E402
from server import (  # noqa: E402
    PG,
    PY,
    ROOT,
    bench_env,
    fresh_database,
    gunicorn,
    manage,
)

DB = "reelearn_bench_scale"
SMALL = f"{DB}_small"  # the demo school and the probe class alone
BASE = f"{DB}_base"  # the prepared database, kept as a template for --reuse
PORT = 8767
PASSWORD = "bench-district-password-2026"  # noqa: S105 - every district account's, bench only
CACHE_DB = os.environ.get("BENCH_SCALE_CACHE_DB", "6")
MIN_SECONDS = 4  # per endpoint: quick ones get more than --requests pairs
PORTS = {"small": PORT + 1, "district": PORT}


# --- HTTP with a session ------------------------------------------------------------------------


class Browser:
    """One keep-alive connection with a cookie jar: a signed-in user's browser."""

    def __init__(self, port: int):
        self.port, self.conn, self.cookies = port, None, {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, body, seconds)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for retry in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if retry:
                    raise
                continue
            elapsed = time.perf_counter() - started
            for raw in response.msg.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(raw).items():
                    self.cookies[key] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, data, elapsed
        raise RuntimeError("unreachable")

    def sign_in(self, username: str, password: str) -> Browser:
        _status, page, _s = self.request("GET", "/accounts/sign-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        form = urllib.parse.urlencode(
            {"login": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        status, _body, _s = self.request(
            "POST",
            "/accounts/sign-in/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"sign-in of {username} failed ({status})")
        return self


# --- What is measured ---------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    who: str  # "pupil" | "teacher"
    method: str
    path: str
    autosave: tuple | None = None  # (question id, response): a PUT body with a fresh revision

    def body(self) -> tuple[bytes | None, dict]:
        if self.autosave is None:
            return None, {}
        question, response = self.autosave
        revision = time.time_ns() // 1000  # always newer than the last save
        data = json.dumps({"response": response, "revision": revision}).encode()
        return data, {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass
class School:
    """One school's users and the pages measured for them."""

    label: str
    logins: dict  # who → (username, password)
    targets: list[Target] = field(default_factory=list)


def school_targets(*, class_id: int, attempt_id: int, quiz_id: int) -> list[Target]:
    from reelearn.quizzes.models import Attempt

    attempt = Attempt.objects.select_related("quiz").get(pk=attempt_id)
    c = f"/classes/{class_id}/"
    return [
        Target("my work", "pupil", "GET", "/my-work/"),
        Target("open an attempt", "pupil", "GET", f"/my-work/quizzes/attempts/{attempt_id}/"),
        Target(
            "autosave",
            "pupil",
            "PUT",
            f"/api/v1/attempts/{attempt_id}/answers/{autosave_answer(attempt)[0]}/",
            autosave=autosave_answer(attempt),
        ),
        Target("class list", "teacher", "GET", "/classes/"),
        Target("class page", "teacher", "GET", c),
        Target("gradebook", "teacher", "GET", f"{c}gradebook/"),
        Target("item analysis", "teacher", "GET", f"{c}quizzes/{quiz_id}/analysis/"),
        Target("class export", "teacher", "GET", f"{c}export/"),
        Target("pupil list (API)", "teacher", "GET", f"/api/v1/classes/{class_id}/pupils/"),
    ]


def autosave_answer(attempt) -> tuple[int, dict]:
    """A question of the attempt's quiz and a valid client answer to it (tokens for choices)."""
    from reelearn.quizzes.models import Question, choice_token

    for question in attempt.quiz.questions.filter(retired=False).order_by("sort_order", "pk"):
        if question.kind in (Question.Kind.SHORT_TEXT, Question.Kind.OPEN):
            return question.pk, {"text": "Neodymium magnets"}
        if question.kind == Question.Kind.TRUE_FALSE:
            return question.pk, {"value": True}
        if question.kind == Question.Kind.SINGLE:
            choice = question.live_choices()[0]
            return question.pk, {"choice": choice_token(attempt.seed, choice.pk)}
    raise SystemExit(f"no question to autosave in quiz {attempt.quiz_id}")


def demo_school(credentials: dict) -> School:
    from django.db.models import Count

    from reelearn.quizzes.models import Attempt

    class_id = credentials["class"]["id"]
    in_class = Attempt.objects.filter(assignment_pupil__assignment__classroom_id=class_id)
    open_attempt = in_class.filter(status="in_progress").order_by("-started_at", "-pk").first()
    busiest = in_class.values("quiz_id").annotate(n=Count("pk")).order_by("-n")[0]["quiz_id"]
    pupils = {p["username"]: p["password"] for p in credentials["pupils"]}
    pupil = open_attempt.pupil.username
    return School(
        "demo school",
        {
            "teacher": (credentials["teacher"]["username"], credentials["teacher"]["password"]),
            "pupil": (pupil, pupils[pupil]),
        },
        school_targets(class_id=class_id, attempt_id=open_attempt.pk, quiz_id=busiest),
    )


def probe_school(district: District) -> School:
    probe = district.probe
    return School(
        "district",
        {"teacher": (probe.teacher_username, PASSWORD), "pupil": (probe.pupil_username, PASSWORD)},
        school_targets(
            class_id=probe.class_id, attempt_id=probe.open_attempt_id, quiz_id=probe.hot_quiz_id
        ),
    )


# --- Measuring ----------------------------------------------------------------------------------


def timings(schools: list[School], envs: dict[str, dict], requests: int) -> dict:
    """{(school, target): {"small": [s, …], "district": [s, …], "cpu": {side: s per request}}},
    over HTTP from the two servers (see `pairs`)."""
    found: dict = {}
    with gunicorn(envs["small"], port=PORT + 1), gunicorn(envs["district"], port=PORT):
        for school in schools:
            browsers = {
                (side, who): Browser(port).sign_in(*login)
                for side, port in PORTS.items()
                for who, login in school.logins.items()
            }
            for target in school.targets:
                found[(school.label, target.name)] = pairs(browsers, target, requests)
    return found


def pairs(browsers: dict, target: Target, requests: int) -> dict:
    """Each request to the small database's server and the district's in turn (which goes first
    alternates), so that a machine whose speed drifts moves both sides alike; at least
    `requests` pairs and at least MIN_SECONDS of them, so quick endpoints get more. Also the CPU
    each side's gunicorn and PostgreSQL backends used per request (Linux /proc): it leaves out
    the time a request waited for a CPU, so it moves less with the machine's load."""
    groups = {
        "small": f"127.0.0.1:{PORTS['small']}",
        "small db": f" {SMALL} ",
        "district": f"127.0.0.1:{PORTS['district']}",
        "district db": f" {DB} ",
    }
    times: dict = {side: [] for side in PORTS}
    for side in [*PORTS, *PORTS, *PORTS]:  # to warm up
        send(browsers[(side, target.who)], target)
    before, started, number = cpu_by_process(groups), time.perf_counter(), 0
    while number < requests or time.perf_counter() - started < MIN_SECONDS:
        for side in sorted(PORTS, reverse=bool(number % 2)):
            times[side].append(send(browsers[(side, target.who)], target))
        number += 1
    after = cpu_by_process(groups)
    used = {
        group: sum(
            seconds - before.get(key, 0) for key, seconds in after.items() if key[0] == group
        )
        for group in groups
    }
    times["cpu"] = {side: (used[side] + used[f"{side} db"]) / number for side in PORTS}
    return times


def cpu_by_process(groups: dict[str, str]) -> dict[tuple[str, int], float]:
    """{(group, pid): CPU seconds so far} for the processes whose command line holds each
    group's string (Linux /proc; {} elsewhere). Per process, so that a database connection
    closed and opened again between two readings (CONN_MAX_AGE) takes no CPU away."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        for group, needle in groups.items():
            if needle in cmdline:
                fields = stat[stat.rindex(")") + 2 :].split()
                found[(group, int(entry.name))] = (int(fields[11]) + int(fields[12])) / tick
                break
    return found


def send(browser: Browser, target: Target) -> float:
    body, headers = target.body()
    if target.method != "GET":
        headers["X-CSRFToken"] = browser.cookies.get("csrftoken", "")
    status, data, seconds = browser.request(target.method, target.path, body, headers)
    if status != 200 or (target.autosave and not json.loads(data).get("applied")):
        raise SystemExit(f"{target.method} {target.path} answered {status}: {data[:300]!r}")
    return seconds


def query_counts(schools: list[School]) -> dict:
    """{(school, target): queries of one request}, in this process (Django's test client,
    signed in with a real session), after one request to warm this process's caches."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for school in schools:
        clients = {}
        for who, (username, _password) in school.logins.items():
            clients[who] = Client(SERVER_NAME="127.0.0.1")
            clients[who].force_login(get_user_model().objects.get(username=username))
        for target in school.targets:
            for _round in range(2):
                body, headers = target.body()
                with CaptureQueriesContext(connection) as queries:
                    response = clients[target.who].generic(
                        target.method,
                        target.path,
                        body or b"",
                        content_type=headers.get("Content-Type", "application/octet-stream"),
                        HTTP_ACCEPT="application/json" if target.autosave else "*/*",
                    )
                if response.status_code != 200:
                    raise SystemExit(f"in-process {target.path}: {response.status_code}")
            counts[(school.label, target.name)] = len(queries)
    return counts


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


# --- Archiving at scale -------------------------------------------------------------------------


def archive_figures() -> dict:
    """`manage.py archive_classes` over the district's stale classes, then `--restore` of the
    first one, each run in this process (the command's work, without Python's start-up)."""
    from django.core.management import call_command

    from reelearn.classroom.models import ClassArchive

    started = time.perf_counter()
    call_command("archive_classes", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    archives = list(ClassArchive.objects.order_by("pk").values_list("classroom_id", "counts"))
    rows = sum(sum(counts.values()) for _class, counts in archives)
    restore = None
    if archives:
        started = time.perf_counter()
        call_command("archive_classes", "--restore", str(archives[0][0]), stdout=io.StringIO())
        restore = time.perf_counter() - started
    return {
        "classes": len(archives),
        "rows": rows,
        "seconds": seconds,
        "restore_rows": sum(archives[0][1].values()) if archives else 0,
        "restore_seconds": restore,
    }


# --- Main ---------------------------------------------------------------------------------------


def prepare(env: dict, *, reuse: bool) -> dict:
    """Migrated, with the curriculum and the demo school: the demo's sign-ins. With `reuse`,
    a copy of the one an earlier run prepared (its template), if there is one."""
    admin = f"{PG}/postgres"

    def sql(statement: str, check: bool = True) -> bool:
        done = subprocess.run(["psql", admin, "-qc", statement], capture_output=True, check=False)
        if check and done.returncode:
            raise SystemExit(done.stderr.decode())
        return done.returncode == 0

    saved = ROOT / "data" / "bench" / "scale-demo.json"
    if reuse and saved.exists():
        sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        if sql(f'CREATE DATABASE "{DB}" TEMPLATE "{BASE}"', check=False):
            manage(env, "migrate", "--no-input")
            manage(env, "collectstatic", "--no-input")
            return json.loads(saved.read_text())
    fresh_database(env, DB)
    manage(env, "load_curriculum")
    out = subprocess.run(
        [PY, "manage.py", "seed_demo", "--json"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sql(f'DROP DATABASE IF EXISTS "{BASE}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{BASE}" TEMPLATE "{DB}"')
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(out)
    return json.loads(out)


# --- Main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="times the issue's district")
    parser.add_argument("--requests", type=int, default=40, help="per endpoint and phase")
    parser.add_argument("--no-archive", action="store_true", help="skip archive_classes")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"start from the prepared database an earlier run left ({BASE})",
    )
    args = parser.parse_args()

    # The per-user API rate still counts every request (the same Redis script), but is not
    # tripped: one pupil's autosave is sent hundreds of times a minute here, which on a quiet
    # machine passed the production rate (1200/min) and stopped the run with a 429.
    env = bench_env(
        DB,
        REDIS_CACHE_URL=f"redis://127.0.0.1:6379/{CACHE_DB}",
        REELEARN_API_USER_RATE="1000000/min",
    )
    subprocess.run(["redis-cli", "-n", CACHE_DB, "flushdb"], check=False, capture_output=True)
    started = time.perf_counter()
    print(f"Preparing {DB}: migrate, static files, curriculum, demo school …", flush=True)
    credentials = prepare(env, reuse=args.reuse)
    setup_seconds = time.perf_counter() - started
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    sizes = Sizes.scaled(args.scale)
    district = District(sizes, now=timezone.now(), password_hash=make_password(PASSWORD))
    district.load(range(0, 1))
    district.finish()
    schools = [demo_school(credentials), probe_school(district)]
    queries = {"small": query_counts(schools)}
    copy_database(DB, SMALL)  # the small data, served beside the district's

    print(f"Loading the district ({sizes}) …", flush=True)
    started = time.perf_counter()
    district.load(range(1, sizes.classes))
    district.finish()
    load_seconds = time.perf_counter() - started
    print(f"  loaded in {load_seconds:.0f} s: {district.counts}", flush=True)
    queries["district"] = query_counts(schools)
    print("Measuring both databases, request by request …", flush=True)
    envs = {"district": env, "small": {**env, "DATABASE_URL": f"{PG}/{SMALL}"}}
    times = timings(schools, envs, args.requests)
    archive = None if args.no_archive else archive_figures()
    report(args, sizes, district, (times, queries), (setup_seconds, load_seconds), archive)


def copy_database(source: str, target: str) -> None:
    """`target` as a copy of `source` (whose connections must be closed first)."""
    from django.db import connections

    connections.close_all()
    admin = f"{PG}/postgres"
    for statement in (
        f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)',
        f'CREATE DATABASE "{target}" TEMPLATE "{source}"',
    ):
        subprocess.run(["psql", admin, "-qc", statement], check=True, stdout=subprocess.DEVNULL)


def report(args, sizes, district, measured, seconds, archive) -> None:
    times, queries = measured
    setup_seconds, load_seconds = seconds
    print(
        f"\nScale: {sizes.pupils} pupils in {sizes.classes} classes; rows written: "
        f"{json.dumps(district.counts)}"
    )
    print(f"  set-up (migrate, curriculum, demo) {setup_seconds:.0f} s; district COPY "
          f"{load_seconds:.0f} s (goal: the district's load <= 600 s)")  # fmt: skip
    print(
        "\n| school | endpoint | requests | p50 / p95 small (ms) | p50 / p95 district (ms) "
        "| ratio p50 | CPU ms per request small / district | ratio CPU "
        "| queries small / district |\n|---|---|---|---|---|---|---|---|---|"
    )
    rows, ratios = [], []
    for key, sides in times.items():
        little, big = (summary(sides[side]) for side in ("small", "district"))
        ratio = big[0] / little[0] if little[0] else 0
        cpu = sides.get("cpu") or {"small": 0, "district": 0}
        cpu_ratio = cpu["district"] / cpu["small"] if cpu["small"] else 0
        counts = (queries["small"][key], queries["district"][key])
        print(
            f"| {key[0]} | {key[1]} | {len(sides['small'])} | {little[0]:.1f} / {little[1]:.1f} "
            f"| {big[0]:.1f} / {big[1]:.1f} | {ratio:.2f} | {cpu['small'] * 1000:.1f} / "
            f"{cpu['district'] * 1000:.1f} | {cpu_ratio:.2f} | {counts[0]} / {counts[1]} |"
        )
        if key[0] == "district":
            ratios.append(ratio)
            rows.append(
                {
                    "bench": "scale",
                    "figure": f"{key[1]}: p50 ms, queries",
                    "value": f"{big[0]:.1f}, {counts[1]}",
                    "versus": f"small data {little[0]:.1f} ms, {counts[0]}",
                    "ratio": f"{ratio:.2f} (CPU {cpu_ratio:.2f})",
                    "goal": "<= 2, same queries",
                }
            )
    if archive:
        print(
            f"\narchive_classes: {archive['classes']} classes ({archive['rows']} rows) moved in "
            f"{archive['seconds']:.1f} s; one ({archive['restore_rows']} rows) restored in "
            f"{archive['restore_seconds'] or 0:.2f} s"
        )
    same = queries["small"] == queries["district"]
    print(f"\nworst p50 ratio {max(ratios):.2f} (goal <= 2); same query counts: {same}")
    print(
        json.dumps(
            {
                "bench": "scale",
                "scale": args.scale,
                "sizes": sizes.__dict__,
                "rows_written": district.counts,
                "setup_seconds": round(setup_seconds, 1),
                "load_seconds": round(load_seconds, 1),
                "worst_ratio": round(max(ratios), 2),
                "same_queries": same,
                "archive": archive,
                "rows": rows,
            }
        )
    )


def summary(seconds: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    return statistics.median(seconds) * 1000, percentile(seconds, 95) * 1000


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
