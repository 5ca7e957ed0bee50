"""The build task: claims with a conditional update, builds once, retries transient errors,
records failures, and the sweep recovers packs stranded by a dead worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from lessons.models import LessonPage
from reelearn import celery_app
from reelearn.packs import services
from reelearn.packs.models import Pack
from reelearn.packs.tasks import pack_build_task, packs_requeue_stuck_task

from .helpers import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def retries_run_eagerly():
    """Let eager apply() run a task's retries one after another, as a worker would after each
    backoff (with eager propagation on, the first Retry would surface instead)."""
    conf = celery_app.conf
    old = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = old


@pytest.fixture
def queued(tier_page, django_capture_on_commit_callbacks):
    """A QUEUED pack whose enqueue was never run (as if the message is still in flight)."""
    with django_capture_on_commit_callbacks(execute=False):
        return services.page_pack_request(page=tier_page, edition="student", paper="a4")


def test_a_duplicate_delivery_builds_once(queued):
    pack_build_task(queued.pk)
    queued.refresh_from_db()
    built_at, name = queued.built_at, queued.file.name
    pack_build_task(queued.pk)  # the same message delivered again
    queued.refresh_from_db()
    assert queued.status == Pack.Status.READY
    assert (queued.attempts, queued.built_at, queued.file.name) == (1, built_at, name)
    assert Pack.objects.count() == 1


def test_a_task_for_a_deleted_pack_does_nothing(queued):
    queued.delete()
    pack_build_task(queued.pk)
    assert not Pack.objects.exists()


def test_two_requests_for_the_same_content_share_one_row(
    tier_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        one = services.page_pack_request(page=tier_page, edition="teacher", paper="letter")
        two = services.page_pack_request(page=tier_page, edition="teacher", paper="letter")
    assert one.pk == two.pk
    assert len(callbacks) == 1  # one build enqueued


def test_transient_errors_retry_then_succeed(queued, monkeypatch, retries_run_eagerly):
    real, calls = services.render_pack, []

    def flaky(content):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real(content)

    monkeypatch.setattr(services, "render_pack", flaky)
    pack_build_task.apply(args=[queued.pk])
    queued.refresh_from_db()
    assert queued.status == Pack.Status.READY
    assert queued.attempts == 3 and len(calls) == 3
    assert queued.error == ""


def test_after_max_attempts_a_transient_error_fails_the_pack(
    queued, monkeypatch, settings, retries_run_eagerly
):
    settings.PACKS_MAX_ATTEMPTS = 2

    def down(content):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "render_pack", down)
    pack_build_task.apply(args=[queued.pk])
    queued.refresh_from_db()
    assert queued.status == Pack.Status.FAILED
    assert queued.attempts == 2
    assert "could not connect to server" in queued.error


def test_a_build_error_fails_at_once_and_the_previous_version_is_still_offered(
    tier_page, lesson, client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    previous = build(
        django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4"
    )

    def broken(content):
        raise ValueError("a template tag blew up")

    monkeypatch.setattr(services, "render_pack", broken)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = "Broken build"
    with django_capture_on_commit_callbacks(execute=True):
        lesson.save_revision().publish()
    failed = Pack.objects.exclude(pk=previous.pk).get()
    assert failed.status == Pack.Status.FAILED and failed.attempts == 1
    assert "could not be built" in failed.error and "a template tag blew up" in failed.error
    # Visitors read a plain sentence; the recorded error is for editors (page and API).
    response = client.get(f"/packs/page/{tier_page.pk}/")
    html = response.content.decode()
    assert "Build failed" in html and "could not be made" in html
    assert "a template tag blew up" not in html
    assert f"/packs/{previous.pk}/download/" in html
    api_error = client.get(f"/api/v1/packs/{failed.pk}/").json()["error"]
    assert "could not be made" in api_error and "blew up" not in api_error
    client.force_login(editor)
    assert "a template tag blew up" in client.get(f"/packs/page/{tier_page.pk}/").content.decode()
    assert "a template tag blew up" in client.get(f"/api/v1/packs/{failed.pk}/").json()["error"]
    client.logout()
    download = client.get(f"/packs/{previous.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_content_that_changes_before_the_build_is_not_built_under_the_old_hash(
    queued, lesson, django_capture_on_commit_callbacks
):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = "Changed while queued"
    with django_capture_on_commit_callbacks(execute=False):
        lesson.save_revision().publish()  # its refresh is left pending
    with django_capture_on_commit_callbacks(execute=True):
        pack_build_task(queued.pk)
    # The stale row failed ("content changed") and was pruned once the newer pack was ready.
    assert not Pack.objects.filter(pk=queued.pk, status=Pack.Status.READY).exists()
    newer = Pack.objects.get(status=Pack.Status.READY)
    assert newer.content_hash != queued.content_hash


def test_the_sweep_requeues_packs_stuck_in_building(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.PACKS_STUCK_SECONDS = 60
    claimed = services.pack_claim(pack_id=queued.pk)  # a worker took it, then died
    assert claimed.status == Pack.Status.BUILDING
    assert packs_requeue_stuck_task() == {"requeued": 0, "failed": 0}  # not stuck yet
    Pack.objects.filter(pk=queued.pk).update(claimed_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):  # the enqueue runs on commit
        assert packs_requeue_stuck_task() == {"requeued": 1, "failed": 0}
    queued.refresh_from_db()
    assert queued.status == Pack.Status.READY and queued.attempts == 2
    assert packs_requeue_stuck_task() == {"requeued": 0, "failed": 0}


def test_the_sweep_requeues_a_queued_pack_whose_message_was_lost(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.PACKS_STUCK_SECONDS = 60
    Pack.objects.filter(pk=queued.pk).update(queued_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert packs_requeue_stuck_task()["requeued"] == 1
    queued.refresh_from_db()
    assert queued.status == Pack.Status.READY


def test_the_sweep_gives_up_after_max_attempts(queued, settings):
    settings.PACKS_STUCK_SECONDS = 60
    settings.PACKS_MAX_ATTEMPTS = 2
    Pack.objects.filter(pk=queued.pk).update(
        status=Pack.Status.BUILDING, attempts=2, claimed_at=timezone.now() - timedelta(minutes=5)
    )
    assert packs_requeue_stuck_task() == {"requeued": 0, "failed": 1}
    queued.refresh_from_db()
    assert queued.status == Pack.Status.FAILED
    assert "interrupted 2 times" in queued.error


def test_the_sweep_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["packs-requeue-stuck"]
    assert entry["task"] == packs_requeue_stuck_task.name


def test_build_packs_command_queues_what_is_not_current(
    curriculum, tier_page, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("build_packs", "--paper", "both", stdout=out)
    assert "4 packs queued, 0 already current" in out.getvalue()  # 2 module-tiers × 2 papers
    assert len(callbacks) == 4
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("build_packs", "--paper", "both", stdout=out)
    assert callbacks == []  # the same rows: nothing new queued
    assert Pack.objects.count() == 4
