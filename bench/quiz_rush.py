"""300 pupils start a quiz, answer 10 questions and submit, against gunicorn + PostgreSQL.

    python bench/quiz_rush.py [--pupils 300] [--concurrency 48] [--workers W] [--threads T]

Creates its own database and data (a published lesson with a 10-question quiz, a class with an
assignment, N pupils with API tokens), collects static files, starts gunicorn with
production-like settings (DJANGO_DEBUG=false, a secret key, no TLS redirect, the Redis cache
shared by the workers, as docker/.env.example sets it; production's gunicorn layout from
reelearn/gunicorn_conf.py unless --workers/--threads say otherwise) and then:

1. the rush: every pupil starts an attempt, saves 10 answers (PUT) and submits; one pupil in
   ten double-clicks Submit (a second, parallel POST). Closed loop, `--concurrency` threads.
2. a trivial view (/bench/ping, registered only with REELEARN_BENCH=1) with the same client
   and concurrency, for a req/s baseline in the same run: half its time before the rush and
   half after, averaged, so that a machine whose speed drifts moves both sides alike.
3. for reference, not a goal: the API's floor (/api/v1/bench/floor/, also bench-only), an
   autosave's request, body and token authentication answered before any quiz code runs.

It prints submissions/s, request latency p50/p95/p99, lost and duplicated submissions (counted
in the database, not by the client), the throughput ratio and where the CPU went in each phase
(gunicorn, the bench database's PostgreSQL backends, this load generator; Linux only). Goals:
0 lost, 0 duplicated, p99 < 1 s, the rush done within 10 s, quiz req/s >= 0.3 x the trivial
view (issue 24).
Last line: a JSON summary for bench/run_all.py.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import (  # noqa: E402
    ROOT,
    bench_env,
    cpu_seconds,
    fresh_database,
    gunicorn,
    gunicorn_layout,
)

DB = "reelearn_bench_quizzes"
PORT = 8766


# --- Data -----------------------------------------------------------------------------------


def build_data(pupils: int) -> dict:
    """Pages, a 10-question quiz, a class with an assignment and N pupils with tokens."""
    import django

    django.setup()
    from django.utils import timezone
    from wagtail.models import Page, Site

    from lessons.models import (
        CurriculumIndexPage,
        HomePage,
        LessonPage,
        ModulePage,
        ModuleTierPage,
    )
    from reelearn.accounts.models import User
    from reelearn.api.models import DeviceToken
    from reelearn.classroom.models import (
        Assignment,
        AssignmentPupil,
        Classroom,
        ClassTeacher,
        Membership,
    )
    from reelearn.quizzes.curriculum import quiz_load

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="REElearn", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home, "site_name": "REElearn"},
    )
    index = home.add_child(instance=CurriculumIndexPage(title="Curriculum", slug="curriculum"))
    module = index.add_child(
        instance=ModulePage(
            title="Rare earths", slug="m1", code="m1", strand="science", summary="Metals."
        )
    )
    tier = module.add_child(instance=ModuleTierPage(title="Ages 11-14", slug="t2", tier="t2"))
    lesson = tier.add_child(
        instance=LessonPage(
            title="Meet the family",
            slug="meet",
            outcome="I can name two.",
            key_points=[("point", "a"), ("point", "b"), ("point", "c")],
        )
    )
    quiz_load(spec=quiz_spec(), page=lesson, key="bench/quiz")

    teacher = User.objects.create(username="bench-teacher", role="teacher")
    classroom = Classroom.objects.create(name="Bench class")
    ClassTeacher.objects.create(classroom=classroom, teacher=teacher)
    users = User.objects.bulk_create(
        [
            User(username=f"pupil{i:04d}", display_name=f"Pupil {i}.", role="pupil", password="!")  # noqa: S106 - unusable password; pupils use API tokens here
            for i in range(pupils)
        ]
    )
    Membership.objects.bulk_create([Membership(classroom=classroom, pupil=u) for u in users])
    assignment = Assignment.objects.create(
        classroom=classroom,
        page=lesson,
        tier="t2",
        title="Quiz rush",
        status=Assignment.Status.ASSIGNED,
        open_at=timezone.now() - timezone.timedelta(hours=1),
    )
    links = AssignmentPupil.objects.bulk_create(
        [AssignmentPupil(assignment=assignment, pupil=u) for u in users]
    )
    keys = [DeviceToken.issue(user=u, name="bench")[1] for u in users]
    from reelearn.quizzes.models import Quiz

    return {
        "quiz": Quiz.objects.get(page=lesson).pk,
        "pupils": [(key, link.pk) for key, link in zip(keys, links, strict=True)],
    }


def quiz_spec() -> dict:
    single = [
        {
            "type": "single",
            "prompt": f"Single {i}?",
            "choices": [
                {"text": "right", "correct": True},
                {"text": "wrong"},
                {"text": "also wrong"},
            ],
        }
        for i in range(3)
    ]
    return {
        "title": "Quiz rush",
        "attempts_allowed": 0,
        "questions": [
            *single,
            {
                "type": "multiple",
                "prompt": "Which?",
                "choices": [
                    {"text": "a", "correct": True},
                    {"text": "b", "correct": True},
                    {"text": "c"},
                ],
            },
            {"type": "true_false", "prompt": "True?", "answer": True},
            {"type": "true_false", "prompt": "False?", "answer": False},
            {"type": "short_text", "prompt": "Name it.", "accepted": ["neodymium"]},
            {"type": "numeric", "prompt": "How many?", "answer": 17, "tolerance": 0},
            {"type": "ordering", "prompt": "Order.", "items": ["one", "two", "three"]},
            {
                "type": "matching",
                "prompt": "Match.",
                "pairs": [{"left": "Nd", "right": "magnets"}, {"left": "Eu", "right": "red"}],
            },
        ],
    }


# --- Client ---------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP connection per thread; records latency per request kind."""

    local = threading.local()

    def __init__(self, port: int, latencies: dict, lock: threading.Lock):
        self.port, self.latencies, self.lock = port, latencies, lock

    def request(
        self, kind: str, method: str, path: str, token: str | None = None, body: dict | None = None
    ) -> tuple[int, dict]:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(3):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=30
                )
            started = time.perf_counter()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                raw = response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies.setdefault(kind, []).append(elapsed)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                self.local.conn = None
            if "json" not in response.getheader("Content-Type", ""):
                return response.status, {"text": raw.decode()}
            return response.status, json.loads(raw) if raw else {}
        raise RuntimeError("unreachable")


def answer_for(question: dict, rng: random.Random) -> dict:
    kind, options = question["kind"], [o["value"] for o in question["options"]]
    if kind == "single":
        return {"choice": rng.choice(options)}
    if kind == "multiple":
        return {"choices": rng.sample(options, 2)}
    if kind == "true_false":
        return {"value": rng.random() < 0.5}
    if kind == "short_text":
        return {"text": rng.choice(["Neodymium", "dysprosium"])}
    if kind == "numeric":
        return {"value": str(rng.choice([17, 18]))}
    if kind == "ordering":
        items = [o["value"] for o in question["items"]]
        rng.shuffle(items)
        return {"order": items}
    if kind == "matching":
        rights = [o["value"] for o in question["right"]]
        return {"pairs": {left["value"]: rng.choice(rights) for left in question["left"]}}
    return {"text": "An answer."}


def pupil_flow(
    client: Client,
    quiz_id: int,
    token: str,
    link_id: int,
    index: int,
    outcome: dict,
    lock: threading.Lock,
) -> None:
    rng = random.Random(index)
    status, attempt = client.request(
        "start",
        "POST",
        f"/api/v1/quizzes/{quiz_id}/attempts/",
        token,
        {"assignment_pupil": link_id},
    )
    if status not in (200, 201):
        with lock:
            outcome["errors"].append(("start", status))
        return
    acked = 0
    for revision, question in enumerate(attempt["questions"], start=1):
        status, body = client.request(
            "save",
            "PUT",
            f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}/",
            token,
            {"response": answer_for(question, rng), "revision": revision},
        )
        if status == 200 and body.get("applied"):
            acked += 1
        else:
            with lock:
                outcome["errors"].append(("save", status))
    path = f"/api/v1/attempts/{attempt['id']}/submit/"
    if index % 10 == 0:  # a double click: two submits at once
        with ThreadPoolExecutor(max_workers=2) as pair:
            codes = list(pair.map(lambda _i: client_once(client, path, token), range(2)))
    else:
        codes = [client.request("submit", "POST", path, token, {})[0]]
    with lock:
        outcome["acked_answers"] += acked
        outcome["submit_codes"].extend(codes)
        outcome["acknowledged"] += any(code in (200, 409) for code in codes)


def client_once(client: Client, path: str, token: str) -> int:
    """A request on its own connection (the second click of a double click)."""
    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
    started = time.perf_counter()
    try:
        conn.request(
            "POST",
            path,
            body=b"{}",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        response.read()
        status = response.status
    finally:
        conn.close()
    with client.lock:
        client.latencies.setdefault("submit", []).append(time.perf_counter() - started)
    return status


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


SERVED_BY: Counter = Counter()  # gunicorn worker pid → trivial requests it answered


def ping(client: Client, _thread: int) -> int:
    """The trivial view, once: its status. Notes which worker answered (the view names it)."""
    status, body = client.request("ping", "GET", "/bench/ping")
    if status == 200:
        with client.lock:
            SERVED_BY[body["text"].split()[-1]] += 1
    return status


def floor_request(tokens: list[str]):
    """The API's floor (/api/v1/bench/floor/), once, as thread i's pupil: the autosave's
    request, body and authentication, answered before any quiz code runs."""
    body = {"response": {"choice": "t0123456789"}, "revision": 1}

    def send(client: Client, thread: int) -> int:
        return client.request(
            "floor", "PUT", "/api/v1/bench/floor/", tokens[thread % len(tokens)], body
        )[0]

    return send


def load(port: int, seconds: float, concurrency: int, send) -> tuple[int, float]:
    """`send(client, thread)` repeated for `seconds`: (requests answered 200, seconds taken)."""
    latencies: dict = {}
    client = Client(port, latencies, threading.Lock())
    stop = time.perf_counter() + seconds

    def hammer(thread):
        count = 0
        while time.perf_counter() < stop:
            count += send(client, thread) == 200
        return count

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        total = sum(pool.map(hammer, range(concurrency)))
    return total, time.perf_counter() - started


# --- Main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument("--workers", type=int, help="default: production's (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, help="default: production's (GUNICORN_THREADS)")
    parser.add_argument("--seconds", type=float, default=5, help="trivial-view measurement")
    args = parser.parse_args()

    # Production-like: a cache shared by the gunicorn workers (throttles, cached token users).
    env = bench_env(DB, REDIS_CACHE_URL="redis://127.0.0.1:6379/7")
    subprocess.run(["redis-cli", "-n", "7", "flushdb"], check=False, capture_output=True)
    print(f"Preparing database {DB} and static files …", flush=True)
    fresh_database(env, DB)
    os.environ.update(env)
    data = build_data(args.pupils)
    args.workers, args.threads = gunicorn_layout(args.workers, args.threads)

    latencies: dict[str, list[float]] = {}
    lock = threading.Lock()
    outcome = {"errors": [], "submit_codes": [], "acknowledged": 0, "acked_answers": 0}
    groups = {"gunicorn": f"127.0.0.1:{PORT}", "postgres": f" {DB} "}
    cpu = {}
    with gunicorn(env, port=PORT, workers=args.workers, threads=args.threads) as _base:
        client = Client(PORT, latencies, lock)
        client.request("warmup", "GET", "/bench/ping")
        # The trivial view is measured before the rush and after it, and the two averaged: a
        # machine whose speed drifts (a shared VM) then moves both sides of the ratio alike.
        first = phase(groups, args.seconds / 2, args.concurrency, ping)
        before, started = cpu_seconds(groups), time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(
                pool.map(
                    lambda item: pupil_flow(
                        client, data["quiz"], item[1][0], item[1][1], item[0], outcome, lock
                    ),
                    enumerate(data["pupils"]),
                )
            )
        rush_seconds = time.perf_counter() - started
        cpu["rush"] = cpu_delta(before, cpu_seconds(groups))
        second = phase(groups, args.seconds / 2, args.concurrency, ping)
        # Not part of the goal: where the API's own floor lies, between the two.
        floor = phase(
            groups,
            args.seconds / 2,
            args.concurrency,
            floor_request([token for token, _link in data["pupils"]]),
        )
    cpu["trivial_requests"] = first[0] + second[0]
    cpu["trivial"] = {name: first[2][name] + second[2][name] for name in first[2]}
    trivial_before, trivial_after = first[1], second[1]
    trivial = (trivial_before + trivial_after) / 2

    cpu["floor_requests"], cpu["floor"] = floor[0], floor[2]

    report(
        args,
        data,
        latencies,
        outcome,
        rush_seconds,
        (trivial, trivial_before, trivial_after),
        cpu,
        floor[1],
    )


def phase(groups: dict, seconds: float, concurrency: int, send) -> tuple[int, float, dict]:
    """A view under load (see load): (requests answered, req/s, CPU seconds per group)."""
    before = cpu_seconds(groups)
    requests, elapsed = load(PORT, seconds, concurrency, send)
    return requests, requests / elapsed, cpu_delta(before, cpu_seconds(groups))


def cpu_delta(before: dict, after: dict) -> dict:
    return {name: after[name] - before[name] for name in after}


def report(args, data, latencies, outcome, rush_seconds, trivials, cpu, floor_rps) -> None:
    from django.db.models import Count

    from reelearn.quizzes.models import Answer, Attempt

    trivial, trivial_before, trivial_after = trivials

    submitted = Attempt.objects.filter(quiz_id=data["quiz"], status="submitted")
    per_pupil = dict(submitted.values_list("pupil__username").annotate(n=Count("pk")))
    lost = args.pupils - len(per_pupil)
    duplicated = sum(n - 1 for n in per_pupil.values() if n > 1)
    stored_answers = Answer.objects.filter(attempt__in=submitted).count()
    lost_answers = outcome["acked_answers"] - stored_answers
    all_latencies = [v for kind, values in latencies.items() if kind != "warmup" for v in values]
    requests = len(all_latencies)
    quiz_rps = requests / rush_seconds
    ratio = quiz_rps / trivial if trivial else 0
    floor_ratio = floor_rps / trivial if trivial else 0
    p50, p95, p99 = (percentile(all_latencies, q) for q in (50, 95, 99))
    served = sum(SERVED_BY.values())
    shares = sorted((n / served for n in SERVED_BY.values()), reverse=True)
    print(
        f"\nQuiz rush: {args.pupils} pupils × (start + 10 saves + submit), "
        f"{args.concurrency} client threads, gunicorn {args.workers}×{args.threads} gthread"
    )
    print(f"  rush took           {rush_seconds:8.2f} s   (goal <= 10 s)")
    print(f"  submissions/s       {len(per_pupil) / rush_seconds:8.1f}")
    print(f"  quiz requests/s     {quiz_rps:8.1f}   ({requests} requests)")
    for kind in ("start", "save", "submit"):
        values = latencies.get(kind, [])
        print(
            f"  {kind:7s} p50/p95/p99  {percentile(values, 50) * 1000:6.0f} "
            f"{percentile(values, 95) * 1000:6.0f} {percentile(values, 99) * 1000:6.0f} ms"
        )
    print(
        f"  all     p50/p95/p99  {p50 * 1000:6.0f} {p95 * 1000:6.0f} {p99 * 1000:6.0f} ms"
        f"   (goal p99 < 1000 ms)"
    )
    print(f"  lost submissions    {lost:8d}   (in the database; goal 0)")
    print(f"  duplicated          {duplicated:8d}   (goal 0)")
    print(f"  lost answers        {lost_answers:8d}   (acknowledged saves not stored; goal 0)")
    print(f"  double-click codes  {sorted(set(outcome['submit_codes']))}")
    print(f"  client errors       {len(outcome['errors'])} {outcome['errors'][:5]}")
    print(
        f"  trivial view        {trivial:8.1f} req/s (same client and concurrency; "
        f"{trivial_before:.0f} before the rush, {trivial_after:.0f} after)"
    )
    print(
        f"  trivial, per worker {' '.join(f'{s:.0%}' for s in shares)}   (gthread keeps a "
        f"connection on the worker that took it: a worker with few would idle)"
    )
    print(f"  ratio               {ratio:8.2f}   (goal >= 0.3)")
    print(
        f"  API floor           {floor_rps:8.1f} req/s ({floor_ratio:.2f} of the trivial "
        f"view: an autosave's request and authentication, no quiz code; not a goal)"
    )
    if cpu.get("rush"):  # where the CPU went: what the ratio is made of
        rush, plain = cpu["rush"], cpu["trivial"]
        names = (("gunicorn", "gunicorn"), ("postgres", "PostgreSQL"), ("self", "load generator"))
        print(
            "  CPU in the rush     "
            + ", ".join(f"{label} {rush[key] / rush_seconds:.2f}" for key, label in names)
            + " cores"
        )
        print(
            f"  CPU per request     {sum(rush.values()) / requests * 1000:8.2f} ms quiz "
            f"(gunicorn {rush['gunicorn'] / requests * 1000:.2f}, PostgreSQL "
            f"{rush['postgres'] / requests * 1000:.2f}), "
            f"{sum(plain.values()) / cpu['trivial_requests'] * 1000:.2f} ms trivial "
            f"(gunicorn {plain['gunicorn'] / cpu['trivial_requests'] * 1000:.2f}), "
            f"{sum(cpu['floor'].values()) / cpu['floor_requests'] * 1000:.2f} ms API floor "
            f"(gunicorn {cpu['floor']['gunicorn'] / cpu['floor_requests'] * 1000:.2f})"
        )
    rows = [
        {
            "bench": "quiz rush",
            "figure": "lost / duplicated submissions",
            "value": f"{lost} / {duplicated}",
            "goal": "0 / 0",
        },
        {
            "bench": "quiz rush",
            "figure": "p99 latency (ms)",
            "value": round(p99 * 1000),
            "goal": "< 1000",
        },
        {
            "bench": "quiz rush",
            "figure": f"{args.pupils} pupils done in (s)",
            "value": round(rush_seconds, 2),
            "goal": "<= 10",
        },
        {
            "bench": "quiz rush",
            "figure": "quiz req/s",
            "value": round(quiz_rps, 1),
            "versus": f"trivial view {trivial:.1f} req/s",
            "ratio": round(ratio, 2),
            "goal": ">= 0.3",
        },
    ]
    print(
        json.dumps(
            {
                "bench": "quiz_rush",
                "lost": lost,
                "duplicated": duplicated,
                "lost_answers": lost_answers,
                "seconds": round(rush_seconds, 2),
                "submissions_per_s": round(len(per_pupil) / rush_seconds, 1),
                "p50_ms": round(p50 * 1000),
                "p95_ms": round(p95 * 1000),
                "p99_ms": round(p99 * 1000),
                "quiz_rps": round(quiz_rps, 1),
                "trivial_rps": round(trivial, 1),
                "api_floor_rps": round(floor_rps, 1),
                "trivial_rps_before_after": [round(trivial_before, 1), round(trivial_after, 1)],
                "ratio": round(ratio, 3),
                "trivial_worker_shares": [round(s, 2) for s in shares],
                "cpu_rush_s": {k: round(v, 2) for k, v in cpu.get("rush", {}).items()},
                "cpu_trivial_s": {k: round(v, 2) for k, v in cpu.get("trivial", {}).items()},
                "rows": rows,
            }
        )
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
