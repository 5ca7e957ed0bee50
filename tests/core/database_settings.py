"""The database settings reelearn/settings/base.py makes from a given environment, read in a
fresh interpreter (settings are read once per process), and a connection built from them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE")


def settings_run(**environment: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REELEARN_", "CELERY_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="reelearn.settings.test", **environment)
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def settings_for(**environment: str) -> dict:
    result = settings_run(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def database_url(settings_dict: dict, *, host: str | None = None, port=None) -> str:
    """A postgres:// URL for the database a connection's settings name (its test name)."""
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = host or settings_dict["HOST"] or "127.0.0.1"
    port = port or settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def connection_for(alias: str, settings_dict: dict):
    """A DatabaseWrapper for `alias` from settings as base.py makes them (not yet connected)."""
    configured = connections.configure_settings({"default": {}, alias: dict(settings_dict)})
    return load_backend(configured[alias]["ENGINE"]).DatabaseWrapper(configured[alias], alias)
