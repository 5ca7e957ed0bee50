import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from reelearn.settings import env


@pytest.mark.parametrize(
    "raw, expected", [("true", True), ("1", True), ("off", False), ("", False), ("NO", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG") is expected


def test_env_bool_rejects_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG")


def test_env_int_rejects_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be an integer"):
        env.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-3")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be at least 0"):
        env.env_int("X_NUM", 1, minimum=0)


def test_env_url_checks_the_scheme(monkeypatch):
    monkeypatch.setenv("X_URL", "mysql://db/x")
    with pytest.raises(ImproperlyConfigured, match="X_URL"):
        env.env_url("X_URL", schemes=("postgres",))


def test_secret_required_without_debug(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET must be set"):
        env.env_secret("X_SECRET", required=True, fallback="")
    monkeypatch.setenv("X_SECRET", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        env.env_secret("X_SECRET", required=True, fallback="")


def _start_django(**overrides):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        check=False,
    )


def test_bad_value_stops_start_up_with_a_message_naming_it(tmp_path):
    result = _start_django(
        DJANGO_DEBUG="true", DATABASE_URL="mysql://nope/db", REELEARN_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be a URL with scheme" in result.stderr


def test_missing_secret_stops_production_start_up(tmp_path):
    result = _start_django(DJANGO_DEBUG="false", REELEARN_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k7Qp2vX9mZ4rT8wL1nB6yH3cF5jD0sGaEuKiOqWzRtYxVbNm-prod-0042",
        DJANGO_ALLOWED_HOSTS="reelearn.example",
        REELEARN_DATA_DIR=str(tmp_path),
        DJANGO_CSRF_TRUSTED_ORIGINS="https://reelearn.example",
        DJANGO_SETTINGS_MODULE="reelearn.settings.base",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_embedded_broker_keeps_its_tables_under_the_data_folder(tmp_path):
    """kombu's filesystem broker writes its control tables to ./control unless told where."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    environment.update(
        DJANGO_DEBUG="true",
        REELEARN_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="reelearn.settings.base",
    )
    script = (
        "from kombu import Connection; from django.conf import settings as s; "
        "o = s.CELERY_BROKER_TRANSPORT_OPTIONS; "
        "c = Connection(s.CELERY_BROKER_URL, transport_options=o); "
        "c.default_channel; print(o['control_folder'], o['processed_folder']); "
        "print(c.default_channel.control_folder)"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    control, processed = result.stdout.split("\n")[0].split()
    assert control == str(tmp_path / "broker" / "control")
    assert processed == str(tmp_path / "broker" / "processed")
    assert result.stdout.split("\n")[1] == control  # kombu took it
