"""The Celery app: configured from Django settings (CELERY_ namespace), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelearn.settings.base")

app = Celery("reelearn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="reelearn.ping", ignore_result=False)
def ping() -> str:
    """Round trip through the broker and a worker; used by tests and health checks."""
    return "pong"
