"""Personas shared by every test: an editor, two teachers, a pupil in a class, a pupil elsewhere."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .factories import EditorFactory, PupilFactory, TeacherFactory, make_curriculum, make_home
from .shared_curriculum import (
    TRANSACTIONAL,
    WANTS,
    SharedCurriculum,
    is_transactional,
    wants_shared,
)

SHARED = pytest.StashKey[SharedCurriculum]()
RUNNING = pytest.StashKey[pytest.Item]()


def _order(item: pytest.Item) -> tuple[int, int]:
    """pytest-django's order (database tests, then transactional ones, then the rest), and
    inside the database tests, those sharing the session's curriculum first, together."""
    if is_transactional(item):
        return (1, 0)
    if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()):
        return (0, 0 if item.stash[WANTS] else 1)
    return (2, 0)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests flush the database afterwards, which also removes the rows Wagtail's
    data migrations made (root page, locale, groups, workflow). Serialized rollback restores
    them for every such test, whatever order the tests run in.

    Runs after pytest-django's own sort and keeps it (a stable sort on the same groups)."""
    for item in items:
        item.stash[WANTS] = wants_shared(item)
        names = getattr(item, "fixturenames", None)
        if (
            names is not None
            and TRANSACTIONAL & set(names)
            and "django_db_serialized_rollback" not in names
        ):
            names.insert(0, "django_db_serialized_rollback")
    items.sort(key=_order)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before a test's fixtures: the shared curriculum's transaction is open for the tests that
    share it and rolled back for every other test (see tests/shared_curriculum.py)."""
    item.config.stash[RUNNING] = item
    shared = item.config.stash.get(SHARED, None)
    if shared is None:
        return
    if item.stash.get(WANTS, False):
        shared.open()
    else:
        shared.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, plus: a transactional test leaves the database as the migrations left
    it, so the next test finds Wagtail's groups, workflow, locale and root page whatever its
    kind and order.

    Django's serialized rollback restores the migrated rows at the start of the next test that
    asks for it, from a copy kept on the connection object of the context that created the
    database. Two things go wrong with that: Playwright's sync API runs browser tests in a
    greenlet with a context (so a connection object) of its own, which has no copy; and rows
    made between the flush and the restore (a content type looked up on demand) collide with
    it. So the restore is done right after the flush instead, in the same place, once."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections
    from django.test import TransactionTestCase

    def content_types_first(contents: str) -> list[str]:
        """The copy in two parts, content types first: restoring a Wagtail task or page looks
        its content type up, and on a miss would make a new row (that the copy's then hits)."""
        rows = json.loads(contents)
        first = [row for row in rows if row["model"] == "contenttypes.contenttype"]
        return [
            json.dumps(first),
            json.dumps([row for row in rows if row["model"] != "contenttypes.contenttype"]),
        ]

    copies = {
        alias: content_types_first(connections[alias]._test_serialized_contents)
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    original_teardown = TransactionTestCase._fixture_teardown

    def fixture_teardown(self):
        """Django's flush (no post_migrate when the copy is restored), then the restore."""
        for alias in self._databases_names(include_mirrors=False):
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=False,
                allow_cascade=self.available_apps is not None,
                inhibit_post_migrate=alias in copies,
            )
            ContentType.objects.clear_cache()
            for part in copies.get(alias, ()):
                connections[alias].creation.deserialize_db_from_string(part)

    for alias in copies:  # Django's restore at the start of a test has nothing left to do
        del connections[alias]._test_serialized_contents
    TransactionTestCase._fixture_teardown = fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original_teardown


@pytest.fixture(scope="session")
def _shared_curriculum(request, django_db_setup, django_db_blocker):
    """Made by the first test that shares the curriculum, before its own transaction starts
    (a session fixture is set up before the function ones)."""
    shared = SharedCurriculum(django_db_blocker)
    request.config.stash[SHARED] = shared
    if request.config.stash[RUNNING].stash.get(WANTS, False):
        shared.open()
    yield shared
    shared.close()
    del request.config.stash[SHARED]


@pytest.fixture(scope="session")
def _shared_renders():
    from .packs.shared_renders import SharedRenders

    return SharedRenders()


@pytest.fixture
def shared_pdfs(_shared_renders, monkeypatch):
    """Opt-in, for tests that only read a built pack: the PDF of a pack with the same content
    (database ids aside) is rendered once per session and shared; see
    tests/packs/shared_renders.py for what a test that opts in must not read."""
    _shared_renders.install(monkeypatch)
    return _shared_renders


@pytest.fixture
def t0():
    """The instant a test freezes the clock at: the real now. Rows that factories make before the
    freeze (an assignment opened "now − 1 day", say) and the frozen instant then share one clock,
    so no test depends on the calendar date it runs on."""
    return timezone.now()


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def curriculum(request, _shared_curriculum, db):
    """index → module → tiers t1 and t3 → two lessons each, with guides; all published.

    Shared: built once per session inside an outer transaction (tests/shared_curriculum.py),
    and read afresh for each test. A transactional test builds and commits its own."""
    if (
        request.node.stash.get(WANTS, False)
        and _shared_curriculum.is_open
        and connection.in_atomic_block
    ):
        cache.clear()
        return _shared_curriculum.fresh()
    return make_curriculum()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lock-outs that live in the cache (allauth's sign-up limit, used TOTP
    codes) start empty in every test, as they would for a new visitor."""
    cache.clear()


@pytest.fixture
def teacher(db):
    return TeacherFactory(username="teacher", display_name="Ms Rivera")


@pytest.fixture
def other_teacher(db):
    return TeacherFactory(username="otherteacher", display_name="Mr Other")


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def pupil(db):
    return PupilFactory(username="pupil", display_name="Amara K.")


@pytest.fixture
def other_pupil(db):
    return PupilFactory(username="otherpupil", display_name="Zed Q.")
