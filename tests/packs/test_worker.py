"""Packs built by a REAL Celery worker on the Redis broker, in a subprocess that reads the
test database: publish → rebuilt; duplicate delivery → one build; a worker killed mid-build →
the sweep recovers → exactly one pack.

One worker is started for the module and shared (a start costs about two seconds); only the
worker that is killed mid-build is a process of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from lessons.models import LessonPage
from reelearn import celery_app
from reelearn.packs import services
from reelearn.packs.models import Pack
from reelearn.packs.tasks import pack_build_task, packs_requeue_stuck_task

from .factories import make_quiz
from .helpers import has, pdf_bytes, pdf_text

# Committed rows, so the worker sees them; serialized rollback restores Wagtail's data
# migrations (root page, collection, locale) for the tests that follow.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class Worker:
    def __init__(self, log: Path, **env: str):
        self.name = f"packs-test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log = log
        self.mark = 0
        self.paused: set[str] = set()
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.packs.worker_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REELEARN_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PYTHONPATH": str(ROOT),
            **env,
        }
        with log.open("wb") as out:
            # Its own process group, so a kill reaches the pool child too.
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tests.packs.worker_app",
                    "worker",
                    "-P",
                    "prefork",
                    "-c",
                    "1",
                    "-n",
                    self.name,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "INFO",
                ],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            if celery_app.control.ping(destination=[self.name], timeout=0.5):
                return
        self.kill()  # no fixture teardown runs for a worker that never answered: don't leak it
        raise AssertionError(f"worker did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def new_output(self) -> str:
        """What it logged since the current test began (a shared worker logs for several)."""
        return self.log.read_bytes()[self.mark :].decode(errors="replace")

    def begin_test(self) -> None:
        self.mark = self.log.stat().st_size

    def is_idle(self) -> bool:
        """Nothing running or reserved: what one test sent is done before the next begins."""
        inspect = celery_app.control.inspect(destination=[self.name], timeout=1)
        active, reserved = inspect.active(), inspect.reserved()
        return bool(active and reserved) and not active[self.name] and not reserved[self.name]

    def consume(self, queue: str, *, on: bool) -> None:
        """Start or stop taking tasks from the queue (Celery's remote control)."""
        control = celery_app.control
        command = control.add_consumer if on else control.cancel_consumer
        replies = command(queue, destination=[self.name], reply=True, timeout=5)
        assert replies and all("ok" in next(iter(r.values())) for r in replies), replies
        (self.paused.discard if on else self.paused.add)(queue)

    def group_is_gone(self) -> bool:
        """Whether every process of the worker's group (the pool child too) has exited
        (zombies waiting for init to reap them count as gone)."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                state, _parent, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            except (OSError, IndexError, ValueError):
                continue
            if int(group) == self.process.pid and state != "Z":
                return False
        return True

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def broker():
    """This process sends to Redis (not eagerly), on an empty queue; a worker builds."""
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    celery_app.control.purge()
    yield
    conf.task_always_eager = eager


class SharedWorker:
    """The module's worker, started on first use and again only if a test left it dead or
    busy. Its stuck timeout is 2 s, for the sweep test (nothing else here sends the sweep)."""

    ENV = {"REELEARN_PACKS_STUCK_SECONDS": "2"}

    def __init__(self, folder: Path):
        self.folder = folder
        self.worker: Worker | None = None
        self.starts = 0

    def get(self) -> Worker:
        if self.worker is None or self.worker.process.poll() is not None:
            self.starts += 1
            self.worker = Worker(self.folder / f"shared-{self.starts}.log", **self.ENV)
        self.worker.begin_test()
        return self.worker

    def settle(self) -> None:
        """After a test: wait for the worker to finish what the test sent, or replace it."""
        if self.worker is None:
            return
        try:
            for queue in list(self.worker.paused):  # a test that failed before resuming it
                self.worker.consume(queue, on=True)
            wait_for(self.worker.is_idle, timeout=30, what="the shared worker to be idle")
        except AssertionError:
            self.stop()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.kill(signal.SIGTERM)
            self.worker = None


@pytest.fixture(scope="module")
def _shared_worker(django_db_setup, tmp_path_factory):
    shared = SharedWorker(tmp_path_factory.mktemp("packs-worker"))
    yield shared
    shared.stop()


@pytest.fixture
def worker(broker, _shared_worker):
    """The module's running worker, shared between tests that need a worker, not a fresh one."""
    yield _shared_worker.get()
    _shared_worker.settle()


@pytest.fixture
def start_worker(broker, tmp_path):
    """start_worker(**env) → a new worker of this test's own; stopped afterwards."""
    workers: list[Worker] = []

    def start(**env) -> Worker:
        worker = Worker(tmp_path / f"worker-{len(workers)}.log", **env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill(signal.SIGTERM)


def wait_for(condition, *, timeout: float = 90, what: str = "", worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}\n{worker.output() if worker else ''}")


@pytest.fixture
def tier_page(curriculum):
    page = curriculum["tier_pages"]["t1"]
    make_quiz(page)
    return page


def slot_files(pack: Pack) -> list[Path]:
    folder = (
        Path(settings.MEDIA_ROOT)
        / Path(pack.file.name or f"packs/{pack.kind}/{pack.target.replace(':', '-')}/x").parent
    )
    return sorted(folder.glob(f"{pack.edition}-{pack.paper}-*")) if folder.exists() else []


def test_publishing_a_lesson_gets_the_pack_rebuilt_by_the_worker(worker, tier_page, curriculum):
    pack = services.page_pack_request(page=tier_page, edition="student", paper="a4")
    first = wait_for(
        lambda: Pack.objects.filter(pk=pack.pk, status="ready").first(),
        what="the first build",
        worker=worker,
    )
    lesson = LessonPage.objects.get(pk=curriculum["lessons"]["t1"][0].pk)
    lesson.title = "Rebuilt by the worker"
    lesson.save_revision().publish()  # no one asks for the pack again
    newer = wait_for(
        lambda: (
            Pack.objects.filter(kind="module_tier", status="ready").exclude(pk=first.pk).first()
        ),
        what="the rebuild",
        worker=worker,
    )
    assert has(pdf_text(newer), "Rebuilt by the worker")
    assert not has(pdf_text(first), "Rebuilt by the worker")  # the previous version, kept
    assert Pack.objects.filter(pk=first.pk, status="ready").exists()


def test_a_publish_has_the_worker_build_the_student_pack_before_the_first_click(
    worker, tier_page, curriculum, settings, client
):
    settings.PACKS_BUILD_ON_PUBLISH = True  # this process decides what the publish queues
    lesson = LessonPage.objects.get(pk=curriculum["lessons"]["t1"][0].pk)
    lesson.title = "Built before anyone asked"
    lesson.save_revision().publish()  # committed: the refresh goes to the broker at once
    pack = wait_for(
        lambda: Pack.objects.filter(page_id=tier_page.pk, status="ready").first(),
        what="the build the publish queued",
        worker=worker,
    )
    assert (pack.kind, pack.edition, pack.paper) == ("module_tier", "student", "a4")
    assert has(pdf_text(pack), "Built before anyone asked")
    response = client.get(f"/packs/page/{tier_page.pk}/student-a4.pdf")  # the first click
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes(pack)
    assert list(Pack.objects.values_list("pk", flat=True)) == [pack.pk]  # nothing built for it


def test_a_duplicate_delivery_builds_once(worker, tier_page):
    pack = services.page_pack_request(page=tier_page, edition="teacher", paper="letter")
    pack_build_task.delay(pack.pk)  # the same message delivered twice more
    pack_build_task.delay(pack.pk)
    wait_for(
        lambda: worker.new_output().count("pack_build_task") >= 6,  # received + succeeded
        what="three deliveries",
        worker=worker,
    )
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY and pack.attempts == 1
    assert Pack.objects.count() == 1
    assert len(slot_files(pack)) == 1


def test_a_worker_killed_mid_build_is_recovered_by_the_sweep(start_worker, worker, tier_page):
    # The build must reach the worker that is killed: the shared one stops taking tasks.
    queue = celery_app.conf.task_default_queue
    worker.consume(queue, on=False)
    slow = start_worker(REELEARN_TEST_HOLD_BUILDS="1")  # a fresh process; see worker_app.py
    pack = services.page_pack_request(page=tier_page, edition="student", paper="letter")
    wait_for(
        lambda: Pack.objects.filter(pk=pack.pk, status="building").exists(),
        what="the build to start",
        worker=slow,
    )
    slow.kill(signal.SIGKILL)  # the worker and its pool child die mid-build
    wait_for(slow.group_is_gone, timeout=20, what="the pool child to die", worker=slow)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.BUILDING  # stranded: nobody will finish it
    worker.consume(queue, on=True)  # the survivor, stuck timeout 2 s (SharedWorker.ENV)
    # Building for longer than the stuck timeout (2 s), without waiting for the clock.
    Pack.objects.filter(pk=pack.pk).update(claimed_at=F("claimed_at") - timedelta(seconds=3))
    packs_requeue_stuck_task.delay()  # what celery beat sends every minute
    done = wait_for(
        lambda: Pack.objects.filter(pk=pack.pk, status="ready").first(),
        what="the sweep's rebuild",
        worker=worker,
    )
    assert done.attempts == 2
    assert Pack.objects.count() == 1
    assert len(slot_files(done)) == 1
