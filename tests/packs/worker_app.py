"""The Celery app for a worker started by a test: the project's app, plus one test hook.

With REELEARN_TEST_HOLD_BUILDS=1 every pack build is held after its content is loaded and
before it is rendered, until the worker is killed: a build that is surely in flight, for the
kill-a-worker-mid-build test, without any delay in the production code.
"""

import os
import threading

from celery.signals import worker_process_init

from reelearn.celery import app

__all__ = ("app",)


@worker_process_init.connect
def _hold_builds(**kwargs):
    if os.environ.get("REELEARN_TEST_HOLD_BUILDS") != "1":
        return
    from reelearn.packs import services

    def held(content):
        threading.Event().wait()  # until the worker is killed
        raise AssertionError("unreachable")

    services.render_pack = held
