"""Shared bench helpers: a fresh PostgreSQL database and gunicorn with production-like settings."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SECRET = "bench-secret-key-not-for-production-0123456789-abcdefghijklmnop"


def bench_env(db_name: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "reelearn.settings.base",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_BEHIND_TLS": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"{PG}/{db_name}",
            "REELEARN_BENCH": "1",
            "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/9"),
            "REELEARN_DATA_DIR": str(ROOT / "data" / "bench"),
        }
    )
    # Production-like (docker/.env.example): the quiet health check, unless the caller's
    # environment says otherwise (DATABASE_QUIET_HEALTH_CHECK=false measures Django's own).
    env.setdefault("DATABASE_QUIET_HEALTH_CHECK", "true")
    env.update(extra)
    return env


def manage(env: dict, *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def fresh_database(env: dict, db_name: str) -> None:
    admin = f"{PG}/postgres"
    drop = f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'
    for sql in (drop, f'CREATE DATABASE "{db_name}"'):
        subprocess.run(["psql", admin, "-qc", sql], check=True, stdout=subprocess.DEVNULL)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")


def gunicorn_layout(workers: int | None = None, threads: int | None = None) -> tuple[int, int]:
    """(workers, threads): production's (reelearn/gunicorn_conf.py, read from this process's
    environment), unless given."""
    from reelearn import gunicorn_conf

    return workers or gunicorn_conf.workers, threads or gunicorn_conf.threads


@contextlib.contextmanager
def gunicorn(env: dict, port: int = 8765, workers: int | None = None, threads: int | None = None):
    """gunicorn on loopback with production's settings (`-c python:reelearn.gunicorn_conf`);
    `workers` and `threads` override its layout."""
    workers, threads = gunicorn_layout(workers, threads)
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "-c",
            "python:reelearn.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_workers(base, workers)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_for_workers(base: str, workers: int, timeout: float = 60) -> None:
    """Return once every worker has answered the ping (each names its process id).

    Measuring while some workers are still importing Django would count their start-up.
    """
    seen: set[bytes] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(seen)} of {workers} gunicorn workers answered")
        try:
            body = urllib.request.urlopen(f"{base}/bench/ping", timeout=1).read()  # noqa: S310
            seen.add(body.split()[-1])
        except OSError:
            time.sleep(0.1)


def cpu_seconds(groups: dict[str, str]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the live processes of each group.

    `groups` maps a name to a string its processes' command lines contain; "self" is this
    process. Linux /proc only ({} elsewhere); a process that has exited no longer counts, so
    take both readings while the processes measured are running.
    """
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    totals = dict.fromkeys([*groups, "self"], 0.0)
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == me:
            totals["self"] += seconds
            continue
        for name, needle in groups.items():
            if needle in cmdline:
                totals[name] += seconds
                break
    return totals


class WrkRun(NamedTuple):
    rps: float
    cpu_ms: dict[str, float]  # CPU milliseconds per request, by group


def wrk(
    url: str,
    seconds: int = 10,
    connections: int = 16,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    cpu_groups: dict[str, str] | None = None,
) -> WrkRun:
    """Requests per second from wrk (Debian's package), after a short warm-up.

    Each request comes on a new connection ("Connection: close"), as a proxy in front of
    gunicorn sends them (nginx keeps no upstream connections by default). With keep-alive,
    gunicorn's gthread workers keep each connection on the worker that accepted it, and wrk
    opens all of its connections at once: one worker often took nearly all of them (63 of 64
    seen) and idled the other, so the figure halved at random between runs.

    `headers` are sent with every request (a session cookie, say). With `cpu_groups` (see
    cpu_seconds), the run also tells the CPU milliseconds per request each group used, and
    wrk itself (Linux only; {} elsewhere): a machine busy with other work disturbs them less
    than req/s.
    """
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    sent = ["-H", "Connection: close"]
    for name, value in (headers or {}).items():
        sent += ["-H", f"{name}: {value}"]
    subprocess.run(["wrk", "-t1", "-c4", "-d2s", *sent, url], check=True, capture_output=True)
    before = cpu_seconds(cpu_groups) if cpu_groups else {}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", *sent, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    after = cpu_seconds(cpu_groups) if cpu_groups else {}
    if cpu_groups:  # wrk itself, a child of this process, once it has exited
        done = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime
        before, after = {**before, "wrk": 0.0}, {**after, "wrk": spent}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url} answered {errors[1]} errors under load")
    requests = int(re.search(r"(\d+) requests in", out)[1])
    cpu_ms = {
        name: (after[name] - before[name]) * 1000 / requests
        for name in before
        if name != "self" and requests
    }
    return WrkRun(float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), cpu_ms)
