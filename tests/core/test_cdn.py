"""A CDN in front: what a visitor could see leaves it when an editor publishes, unpublishes,
moves, deletes or restricts a page — the page in every language, the pages that show it and its
public pack downloads — sent by Celery after the commit, never in the editor's request.

The purges go through Wagtail's real HTTPBackend to a real HTTP endpoint: a stand-in purge
server on a thread of this test, recording each request (as a Varnish-style cache would get).
"""

from __future__ import annotations

import importlib.util
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import CloudflareBackend, CloudfrontBackend
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page

from lessons.models import LessonPage, ModulePage, ModuleTierPage
from reelearn.packs.models import Pack
from reelearn.settings import base as base_settings

from ..factories import translate_page

pytestmark = pytest.mark.django_db

LESSON = "/curriculum/module-m1/t1/lesson-1/"
SIBLING = "/curriculum/module-m1/t1/lesson-2/"
TIER = "/curriculum/module-m1/t1/"
MODULE = "/curriculum/module-m1/"
INDEX = "/curriculum/"
OTHER_TIER_LESSON = "/curriculum/module-m1/t3/lesson-1/"


class PurgeEndpoint:
    """Records every request: (method, Host header, path with its query)."""

    def __init__(self):
        self.requests: list[tuple[str, str, str]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - http.server's naming
                endpoint.requests.append((self.command, self.headers["Host"], self.path))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def paths(self) -> set[str]:
        return {path for _method, _host, path in self.requests}


@pytest.fixture
def cdn(settings):
    endpoint = PurgeEndpoint()
    endpoint.thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": endpoint.url,
        }
    }
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


@pytest.fixture
def tier(curriculum):
    return ModuleTierPage.objects.get(pk=curriculum["tier_pages"]["t1"].pk)


@pytest.fixture
def lessons(curriculum):
    return [LessonPage.objects.get(pk=page.pk) for page in curriculum["lessons"]["t1"]]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def make_pack(page, edition: str) -> Pack:
    return Pack.objects.create(
        kind="module_tier",
        target=f"page:{page.pk}",
        page=page,
        edition=edition,
        paper="a4",
        content_hash=edition * 8,
        status="ready",
    )


def test_publishing_purges_the_page_and_the_pages_that_show_it_after_commit(
    cdn, lessons, django_capture_on_commit_callbacks
):
    lesson = lessons[0]
    with django_capture_on_commit_callbacks(execute=True):
        lesson.title = "A new title"
        lesson.save_revision().publish()  # the page publish API, as the admin's publish calls it
        assert cdn.requests == []  # nothing before the commit
    assert {LESSON, SIBLING, TIER, MODULE, INDEX, "/"} <= cdn.paths
    assert {f"{MODULE}?tier={tier}" for tier in ("t1", "t2", "t3", "t4")} <= cdn.paths
    assert OTHER_TIER_LESSON not in cdn.paths  # another tier's lesson shows nothing of it
    assert {(method, host) for method, host, _path in cdn.requests} == {("PURGE", "localhost")}


def test_nothing_is_queued_for_a_publish_that_rolls_back(cdn, lessons):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        lessons[0].save_revision().publish()
        raise RuntimeError("the editor's transaction fails")
    assert cdn.requests == []


def test_a_page_in_every_language_goes(cdn, lessons, django_capture_on_commit_callbacks):
    translated = translate_page(lessons[0], "my")
    translated.slug = "lesson-1-my"
    translated.save_revision().publish()
    translated.get_parent().specific.save_revision().publish()  # its module-tier
    translated = LessonPage.objects.get(pk=translated.pk)
    expected = {translated.get_url_parts()[2], translated.get_parent().get_url_parts()[2]}
    with django_capture_on_commit_callbacks(execute=True):
        lessons[0].save_revision().publish()  # the English page changes
    assert {LESSON, TIER} | expected <= cdn.paths
    assert not expected & {LESSON, TIER}  # the Burmese pages' own URLs


def test_unpublishing_in_the_admin_purges_after_the_request(
    cdn, editor_client, lessons, tier, django_capture_on_commit_callbacks
):
    student, teacher = make_pack(tier, "student"), make_pack(tier, "teacher")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("wagtailadmin_pages:unpublish", args=[lessons[1].pk]))
        assert response.status_code == 302
        assert cdn.requests == []  # the editor's request sent nothing
    assert {SIBLING, LESSON, TIER, MODULE, INDEX} <= cdn.paths
    # The module-tier's public pack download showed the lesson; a teacher edition is never
    # kept by a shared cache, so it has nothing to purge.
    assert reverse("packs:download", args=[student.pk]) in cdn.paths
    assert reverse("packs:download", args=[teacher.pk]) not in cdn.paths


def test_a_deleted_page_is_purged_though_it_is_gone(
    cdn, editor_client, lessons, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("wagtailadmin_pages:delete", args=[lessons[1].pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=lessons[1].pk).exists()
    assert {SIBLING, LESSON, TIER, MODULE} <= cdn.paths


def test_moving_purges_the_old_and_new_urls_of_the_whole_subtree(
    cdn, editor_client, curriculum, tier, django_capture_on_commit_callbacks
):
    other = curriculum["index"].add_child(
        instance=ModulePage(
            title="Another module", slug="module-m2", code="m2", strand="science", summary="."
        )
    )
    other.save_revision().publish()
    url = reverse("wagtailadmin_pages:move_confirm", args=[tier.pk, other.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url)
        assert response.status_code == 302
        assert cdn.requests == []
    assert Page.objects.get(pk=tier.pk).url_path.endswith("/module-m2/t1/")
    before = {TIER, LESSON, SIBLING}
    after = {path.replace("module-m1", "module-m2") for path in before}
    assert before | after | {MODULE, "/curriculum/module-m2/", INDEX} <= cdn.paths


@pytest.mark.parametrize("restriction", ["login", "groups"])
def test_making_a_page_private_and_public_again_purges_its_subtree(
    cdn, editor_client, tier, restriction, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    student = make_pack(tier, "student")
    url = reverse("wagtailadmin_pages:set_privacy", args=[tier.pk])
    data = {"restriction_type": restriction, "groups": [Group.objects.first().pk]}
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 200
        assert cdn.requests == []
    assert tier.get_view_restrictions().exists()
    expected = {TIER, LESSON, SIBLING, MODULE, INDEX, reverse("packs:download", args=[student.pk])}
    assert expected <= cdn.paths
    cdn.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"restriction_type": "none"})
    assert not tier.get_view_restrictions().exists()
    assert {TIER, LESSON, SIBLING} <= cdn.paths


def test_without_a_cdn_nothing_is_queued(settings, lessons, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {}
    with django_capture_on_commit_callbacks() as callbacks:
        lessons[0].save_revision().publish()
    queued = [cb.args[0].name for cb in callbacks if isinstance(cb, partial)]
    assert "reelearn.packs.tasks.packs_refresh_task" in queued  # what is queued is seen here
    assert "reelearn.core.tasks.cdn_purge_task" not in queued


# --- Settings from the environment ------------------------------------------------------------


def settings_from(monkeypatch, **env) -> dict:
    """reelearn/settings/base.py run afresh with these variables (as a deployment starts)."""
    for name in ("REELEARN_CDN", "REELEARN_CDN_HOSTNAMES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("reelearn.settings.probe", base_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


def test_no_cdn_configured_means_no_backend(monkeypatch):
    assert get_backends(settings_from(monkeypatch)["WAGTAILFRONTENDCACHE"]) == {}


def test_cloudflare_and_cloudfront_come_from_the_environment(monkeypatch):
    found = settings_from(
        monkeypatch,
        REELEARN_CDN="cloudflare",
        REELEARN_CDN_CLOUDFLARE_ZONE_ID="zone-123",
        REELEARN_CDN_CLOUDFLARE_TOKEN="token-456",
        REELEARN_CDN_HOSTNAMES="reelearn.example.org",
    )
    backend = get_backends(found["WAGTAILFRONTENDCACHE"])["default"]
    assert isinstance(backend, CloudflareBackend)
    assert (backend.cloudflare_zoneid, backend.cloudflare_token) == ("zone-123", "token-456")
    assert backend.invalidates_hostname("reelearn.example.org")
    assert not backend.invalidates_hostname("elsewhere.example.org")

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    found = settings_from(
        monkeypatch, REELEARN_CDN="cloudfront", REELEARN_CDN_CLOUDFRONT_DISTRIBUTION_ID="E123"
    )
    backend = get_backends(found["WAGTAILFRONTENDCACHE"])["default"]
    assert isinstance(backend, CloudfrontBackend)
    assert backend.cloudfront_distribution_id == "E123"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"REELEARN_CDN": "akamai"}, "REELEARN_CDN must be cloudflare, cloudfront, http"),
        ({"REELEARN_CDN": "cloudflare"}, "REELEARN_CDN_CLOUDFLARE_ZONE_ID must be set"),
        ({"REELEARN_CDN": "http"}, "REELEARN_CDN_PURGE_URL must be set"),
        (
            {"REELEARN_CDN": "http", "REELEARN_CDN_PURGE_URL": "ftp://cache"},
            "REELEARN_CDN_PURGE_URL must be a URL",
        ),
    ],
)
def test_a_half_configured_cdn_stops_start_up_naming_the_variable(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_from(monkeypatch, **env)
