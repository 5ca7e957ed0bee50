"""Personas shared by every test: an editor, two teachers, a pupil in a class, a pupil elsewhere."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .factories import EditorFactory, PupilFactory, TeacherFactory, make_curriculum, make_home
from .shared_curriculum import (
    WANTS,
    SharedCurriculum,
    is_transactional,
    wants_shared,
)

SHARED = pytest.StashKey[SharedCurriculum]()
RUNNING = pytest.StashKey[pytest.Item]()
MIGRATED = pytest.StashKey["MigratedRows"]()


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
    """Runs after pytest-django's own sort and keeps it (a stable sort on the same groups)."""
    for item in items:
        item.stash[WANTS] = wants_shared(item)
    items.sort(key=_order)


def wants_migrated_rows(item: pytest.Item) -> bool:
    """Whether the test needs the rows the migrations made (see MigratedRows): every database
    test in a transaction, and the transactional ones that ask for serialized rollback."""
    if is_transactional(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
        )
    return bool(item.get_closest_marker("django_db")) or "db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before a test's fixtures: the shared curriculum's transaction is open for the tests that
    share it and rolled back for every other test (see tests/shared_curriculum.py)."""
    item.config.stash[RUNNING] = item
    migrated = item.config.stash.get(MIGRATED, None)
    if migrated is not None and wants_migrated_rows(item):
        migrated.ensure()
    shared = item.config.stash.get(SHARED, None)
    if shared is None:
        return
    if item.stash.get(WANTS, False):
        shared.open()
    else:
        shared.close()


class MigratedRows:
    """The rows Wagtail's data migrations made (root page, locale, site, groups, workflow),
    copied when the test database is created, and put back after a transactional test's flush
    for the tests that need them: opt-in, with `serialized_rollback=True` on a transactional
    test, as in Django; and always before a database test that runs in a transaction.

    A transactional test that does not ask (it builds what it needs, see make_home) gets
    Django's plain flush and leaves the database flushed; the copy is restored once, by the
    next test that needs it, or at the end of the session (so a --reuse-db run finds it).

    Django restores at the start of the test that asks, from a copy kept on the connection
    object of the context that created the database. Two things go wrong with that:
    Playwright's sync API runs browser tests in a greenlet with a context (so a connection
    object) of its own, which has no copy; and rows made between the flush and the restore (a
    content type looked up on demand) collide with it. So the copy is kept here, and a
    restore is always a flush without post_migrate followed by the copy, in one place."""

    def __init__(self, blocker, *, flushes: bool):
        from django.db import connections

        self.blocker = blocker
        if flushes:  # pytest-django copies only when a selected test asks for serialized rollback
            with blocker.unblock():
                for alias in connections:
                    if not hasattr(connections[alias], "_test_serialized_contents"):
                        creation = connections[alias].creation
                        connections[
                            alias
                        ]._test_serialized_contents = creation.serialize_db_to_string()
        self.copies = {
            alias: self._content_types_first(connections[alias]._test_serialized_contents)
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        for alias in self.copies:  # Django's restore at the start of a test has nothing to do
            del connections[alias]._test_serialized_contents
        self.flushed: set[str] = set()  # aliases flushed since the last restore
        self.restores = 0

    @staticmethod
    def _content_types_first(contents: str) -> list[str]:
        """The copy in two parts, content types first: restoring a Wagtail task or page looks
        its content type up, and on a miss would make a new row (that the copy's then hits)."""
        rows = json.loads(contents)
        first = [row for row in rows if row["model"] == "contenttypes.contenttype"]
        return [
            json.dumps(first),
            json.dumps([row for row in rows if row["model"] != "contenttypes.contenttype"]),
        ]

    def flush(self, alias: str, *, restore: bool, allow_cascade: bool = False) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command
        from django.db import connections

        restore = restore and alias in self.copies
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=alias,
            reset_sequences=False,
            allow_cascade=allow_cascade,
            inhibit_post_migrate=restore,
        )
        ContentType.objects.clear_cache()
        if not restore:
            self.flushed.add(alias)
            return
        for part in self.copies[alias]:
            connections[alias].creation.deserialize_db_from_string(part)
        self.flushed.discard(alias)
        self.restores += 1

    def ensure(self) -> None:
        """Put the copy back if a flush took it away."""
        if self.flushed:
            with self.blocker.unblock():
                for alias in sorted(self.flushed):
                    self.flush(alias, restore=True)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """pytest-django's, plus MigratedRows: the rows the migrations made come back after a
    transactional test's flush for the tests that need them, whatever their kind and order."""
    from django.test import TransactionTestCase

    migrated = MigratedRows(
        django_db_blocker, flushes=any(is_transactional(item) for item in request.session.items)
    )
    request.config.stash[MIGRATED] = migrated
    original_setup = TransactionTestCase.__dict__["_fixture_setup"]  # a classmethod
    original_teardown = TransactionTestCase._fixture_teardown

    @classmethod
    def fixture_setup(cls):
        if cls.serialized_rollback:
            migrated.ensure()
        original_setup.__func__(cls)

    def fixture_teardown(self):
        """Django's flush, then the restore if the test asked for serialized rollback."""
        for alias in self._databases_names(include_mirrors=False):
            migrated.flush(
                alias,
                restore=self.serialized_rollback,
                allow_cascade=self.available_apps is not None,
            )

    TransactionTestCase._fixture_setup = fixture_setup
    TransactionTestCase._fixture_teardown = fixture_teardown
    yield
    TransactionTestCase._fixture_setup = original_setup
    TransactionTestCase._fixture_teardown = original_teardown
    migrated.ensure()  # a --reuse-db run starts from the migrated rows
    del request.config.stash[MIGRATED]


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
def translate(django_capture_on_commit_callbacks):
    """translate(obj, language="my", title=None): `obj` (a page or a snippet such as a quiz)
    translated with wagtail-localize, as a translator does in the admin, and published (a
    page's untranslated parents are copied first); the translation, read afresh."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    def translate(obj, language="my", title=None):
        locale = Locale.objects.get(language_code=language)
        source, _created = TranslationSource.get_or_create_from_instance(obj)
        with django_capture_on_commit_callbacks(execute=True):  # publishing waits for commit
            Translation.objects.create(source=source, target_locale=locale).save_target()
        translated = type(obj).objects.get(translation_key=obj.translation_key, locale=locale)
        if title:
            translated.title = title
            with django_capture_on_commit_callbacks(execute=True):
                translated.save_revision().publish()
        return type(obj).objects.get(pk=translated.pk)

    return translate


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
