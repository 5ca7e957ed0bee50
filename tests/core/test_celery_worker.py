"""One task through a real Celery worker on the configured broker (Redis in CI)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
def test_ping_round_trips_through_a_real_worker(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs the Redis broker (CELERY_BROKER_URL=redis://…)")
    backend = settings.CELERY_BROKER_URL
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "CELERY_RESULT_BACKEND": backend,
        "DJANGO_SETTINGS_MODULE": "reelearn.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reelearn",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # A separate client app with a result backend, talking to the same broker as the worker.
    client = Celery(broker=settings.CELERY_BROKER_URL, backend=backend)
    try:
        result = client.send_task("reelearn.ping", queue=queue)
        assert result.get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
