import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from lessons.models import CurriculumIndexPage, ModulePage, ModuleTierPage
from tests.factories import EditorFactory, SourceFactory, TermFactory, make_home

from .editor_admin import (
    TIMEOUT,
    choose_snippet,
    fill_rich_text,
    open_add_child_form,
    save_draft,
    stream_count,
    stream_insert,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def dump(page, name):
    open(f"/tmp/ej/{name}.html", "w").write(page.content())


def test_explore(live_server, page, shot):
    from .editor_admin import sign_in
    home = make_home()
    index = home.add_child(instance=CurriculumIndexPage(title="Curriculum", slug="curriculum"))
    index.save_revision().publish()
    m = index.add_child(instance=ModulePage(title="M", slug="m", code="m9", strand="science",
                                            summary="s"))
    t = m.add_child(instance=ModuleTierPage(title="T", slug="t1", tier="t1"))
    SourceFactory(key="usgs-2025", title="Mineral Commodity Summaries 2025")
    TermFactory()
    a = EditorFactory(username="alice", is_superuser=False, is_staff=False)
    a.groups.add(Group.objects.get(name="Editors"))
    sign_in(page, live_server.url, "alice")
    open_add_child_form(page, live_server.url, t.pk, "Lesson page")
    page.locator("input[name='title']").fill("Magnets everywhere")
    page.get_by_role("textbox", name="Pupil outcome").fill("I can find magnets at home.")
    for text in ("Magnets", "Motors", "Speakers"):
        stream_insert(page, "key_points")
        n = stream_count(page, "key_points")
        page.locator(f"input[name='key_points-{n - 1}-value']").fill(text)
    stream_insert(page, "body", "Text")
    fill_rich_text(page, "body-0-value", "Magnets hide inside many machines.")
    stream_insert(page, "body", "Fact")
    page.locator("textarea[name='body-1-value-statement']").fill("China mined most.")
    page.locator("input[name='body-1-value-reviewed']").fill("2026-11-01")
    page.keyboard.press("Escape")
    save_draft(page)
    shot(page, "fact-error")
    dump(page, "facterror")
    expect(page.get_by_text("A fact needs at least one source")).to_be_visible(timeout=TIMEOUT)
    choose_snippet(page, "body-1-value-sources-0-value", "Mineral Commodity")
    shot(page, "chosen")
