"""Test settings: speed tweaks only. The database and broker still come from the environment."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-that-is-long-enough-1234567890")
os.environ.setdefault("DJANGO_BEHIND_TLS", "false")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# Editors in tests have no second factor unless a test sets one up and turns this on
# (tests/accounts/test_second_factor.py).
REELEARN_REQUIRE_STAFF_2FA = False
REELEARN_SPRAY_DELAY_SECONDS = 0

import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="reelearn-test-media-")

# Parallel test workers (pytest-xdist) each get their own Redis database, so a Celery worker
# started by one test process never takes a task meant for another (each has its own test DB).
_xdist = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist.startswith("gw") and CELERY_BROKER_URL.startswith("redis"):  # noqa: F405
    import re

    CELERY_BROKER_URL = re.sub(  # noqa: F405
        r"/(\d+)$",
        lambda m: f"/{10 + int(_xdist[2:]) % 6}",
        CELERY_BROKER_URL,  # noqa: F405
    )
    # Celery reads CELERY_BROKER_URL from the environment before the settings: the same URL in
    # both, for this process and the real workers a test starts from it.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL

# Building every module-tier's student pack on publish would render PDFs whenever a test
# commits a publish (transactional tests, browser tests); the tests of it turn it on.
PACKS_BUILD_ON_PUBLISH = False
