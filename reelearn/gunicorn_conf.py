"""gunicorn's settings for REElearn: `gunicorn -c python:reelearn.gunicorn_conf`.

docker/ serves the site with these, and bench/ measures it with them, so the benchmarks measure
what production runs. Command-line options still win (the benches pass --bind, for one).

Concurrency: `workers` processes (WEB_CONCURRENCY; default one per CPU this process may use,
at least two) of `threads` threads each (GUNICORN_THREADS; default 2). A second thread lets a
worker run one request's Python while another waits on PostgreSQL or Redis. More threads than
that only add hand-overs of the interpreter lock, context switches and database connections:
on 2 CPUs, bench/quiz_rush.py measured a quiz request at about a seventh less CPU with 2
workers of 2 threads than with 4 of 4, and a lower p99 (README, "Benchmarks").

Slow clients should not hold the threads: production runs behind a TLS-terminating proxy that
buffers (docker/ expects one: DJANGO_TRUST_X_FORWARDED_PROTO), and packs are downloaded from S3
through signed links or handed to nginx (REELEARN_PACKS_X_ACCEL_REDIRECT_PREFIX). A keep-alive
connection stays with the worker that accepted it, so a proxy that keeps upstream connections
open should keep several per worker. A container limited to fewer CPUs than its host shows
should set WEB_CONCURRENCY.
"""

from __future__ import annotations

import os

from reelearn.settings.env import env_int, env_str


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "reelearn.wsgi:application"
bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = env_int("WEB_CONCURRENCY", max(2, _cpus()), minimum=1)
threads = env_int("GUNICORN_THREADS", 2, minimum=1)
