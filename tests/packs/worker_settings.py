"""Settings for a real Celery worker started by a test: the test settings, with the media
folder of the test process that started it (test.py makes a new temporary one per process)."""

import os

from reelearn.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["REELEARN_MEDIA_ROOT"]
CELERY_TASK_ALWAYS_EAGER = False
