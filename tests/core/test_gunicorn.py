"""gunicorn's settings (reelearn/gunicorn_conf.py), as gunicorn itself reads them, and a real
gunicorn serving the site with them."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = "python:reelearn.gunicorn_conf"


def gunicorn_config(**env: str) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND")
    }
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", CONFIG, "--print-config"],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def setting(output: str, name: str) -> str:
    match = re.search(rf"^{name}\s*=\s*(.*)$", output, re.MULTILINE)
    assert match, f"{name} not in gunicorn's printed configuration"
    return match[1].strip()


def test_defaults_are_one_worker_per_cpu_with_two_threads():
    result = gunicorn_config()
    assert result.returncode == 0, result.stderr
    assert setting(result.stdout, "workers") == str(max(2, len(os.sched_getaffinity(0))))
    assert setting(result.stdout, "threads") == "2"
    assert setting(result.stdout, "worker_class") == "gthread"
    assert setting(result.stdout, "wsgi_app") == "reelearn.wsgi:application"
    assert setting(result.stdout, "bind") == "['0.0.0.0:8000']"


def test_the_environment_sets_workers_threads_and_address():
    result = gunicorn_config(
        WEB_CONCURRENCY="5", GUNICORN_THREADS="3", GUNICORN_BIND="127.0.0.1:9001"
    )
    assert result.returncode == 0, result.stderr
    assert setting(result.stdout, "workers") == "5"
    assert setting(result.stdout, "threads") == "3"
    assert setting(result.stdout, "bind") == "['127.0.0.1:9001']"


@pytest.mark.parametrize("value", ["lots", "0"])
def test_a_bad_worker_count_stops_start_up_naming_the_variable(value):
    result = gunicorn_config(WEB_CONCURRENCY=value)
    assert result.returncode != 0
    assert "WEB_CONCURRENCY" in result.stderr


def test_docker_serves_with_these_settings():
    for path in ("docker/Dockerfile", "docker/compose.yaml"):
        text = (ROOT / path).read_text()
        assert CONFIG in text, f"{path} does not start gunicorn with {CONFIG}"
        assert "--workers" not in text and "--threads" not in text, path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_site_with_these_settings(tmp_path):
    """Embedded mode (a new SQLite file, no DATABASE_URL), so it needs no test database."""
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env = {
        **environ,
        "DJANGO_SETTINGS_MODULE": "reelearn.settings.test",
        "REELEARN_DATA_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", CONFIG],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    assert b'"database": "ok"' in r.read()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
