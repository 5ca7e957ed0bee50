"""The opt-in PostgreSQL backend (reelearn.core.db.postgresql) against the Django it overrides.

It overrides ``close_if_health_check_failed``, which Django does not document: these tests fail
loudly, before anything subtler breaks, if Django renames it, changes its signature, stops
calling it before a connection is used, or drops the attributes the override reads. If one
fails, re-read Django's method and re-measure the backend (bench/README.md) before adapting it.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql import base as django_postgresql

from reelearn.core.db.postgresql import base as quiet

ROOT = Path(__file__).resolve().parents[2]
METHOD = "close_if_health_check_failed"


def test_django_still_has_the_overridden_method_with_the_same_signature():
    for cls in (BaseDatabaseWrapper, django_postgresql.DatabaseWrapper):
        method = cls.__dict__.get(METHOD)
        assert method is not None, (
            f"Django {django.__version__}: {cls.__qualname__}.{METHOD} is gone"
        )
        assert str(inspect.signature(method)) == "(self)", (
            f"Django {django.__version__} changed {cls.__qualname__}.{METHOD}'s signature"
        )
    ours = quiet.DatabaseWrapper.__dict__[METHOD]
    assert inspect.signature(ours) == inspect.signature(BaseDatabaseWrapper.__dict__[METHOD])
    assert quiet.DatabaseWrapper.__mro__[1] is django_postgresql.DatabaseWrapper


@pytest.mark.parametrize("caller", ["_cursor", "set_autocommit"])
def test_django_still_checks_a_connection_through_it_before_using_it(caller):
    source = inspect.getsource(getattr(BaseDatabaseWrapper, caller))
    assert f"self.{METHOD}()" in source, f"Django no longer calls {METHOD} from {caller}"
    # close_old_connections (request_started/finished) re-arms the check for the next request.
    assert "self.health_check_done = False" in inspect.getsource(
        BaseDatabaseWrapper.close_if_unusable_or_obsolete
    )


def test_the_attributes_the_override_reads_still_exist():
    settings = {
        "ENGINE": "reelearn.core.db.postgresql",
        "NAME": "x",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
        "CONN_MAX_AGE": 60,
        "TIME_ZONE": None,
        "CONN_HEALTH_CHECKS": True,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }
    wrapper = quiet.DatabaseWrapper(settings, alias="guard")
    for name in ("connection", "health_check_enabled", "health_check_done"):
        assert hasattr(wrapper, name), f"Django's DatabaseWrapper has no {name} any more"
    assert wrapper.pool is None  # a property of Django's postgresql backend
    wrapper.close_if_health_check_failed()  # no connection yet: nothing to check, no error


def _engine(**environment) -> str:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="reelearn.settings.base",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        **environment,
    )
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def test_it_is_opt_in():
    assert _engine() == "django.db.backends.postgresql"
    assert _engine(DATABASE_QUIET_HEALTH_CHECK="true") == "reelearn.core.db.postgresql"
