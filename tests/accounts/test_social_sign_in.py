"""Google and Microsoft sign-in are configured by environment variables and off without them
(issue 18 §2). Settings are read at start-up, so each case starts its own Django; the sign-in
page lists exactly these providers (templates/account/login.html, `get_providers`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
from allauth.socialaccount.adapter import get_adapter
from django.test import RequestFactory
from django.urls import reverse
request = RequestFactory().get('/accounts/sign-in/')
print('providers:', sorted(p.id for p in get_adapter().list_providers(request)))
for provider in get_adapter().list_providers(request):
    print('url:', reverse(provider.id + '_login'))
"""


def run(**env) -> str:
    """The script in a Django started with `env`, on this test run's database (allauth also
    reads providers configured in the admin, from a table)."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("REELEARN_")},
        "DJANGO_SETTINGS_MODULE": "reelearn.settings.test",
        "DATABASE_URL": url if connection.vendor == "postgresql" else "",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


pytestmark = pytest.mark.django_db  # for the database name; the other process reads its tables


def test_off_when_unset():
    out = run()
    assert "providers: []" in out


def test_on_with_client_ids_and_secrets():
    out = run(
        REELEARN_GOOGLE_CLIENT_ID="abc.apps.googleusercontent.com",
        REELEARN_GOOGLE_CLIENT_SECRET="GOCSPX-short",
        REELEARN_MICROSOFT_CLIENT_ID="ms-app-id",
        REELEARN_MICROSOFT_CLIENT_SECRET="ms-secret",
    )
    assert "providers: ['google', 'microsoft']" in out
    assert "url: /accounts/google/login/" in out and "url: /accounts/microsoft/login/" in out
