import pytest
from django.contrib.auth.models import Group
from lessons.models import CurriculumIndexPage, ModulePage, ModuleTierPage
from tests.factories import EditorFactory, PASSWORD, SourceFactory, TermFactory, make_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_explore(live_server, page, shot):
    home = make_home()
    index = home.add_child(instance=CurriculumIndexPage(title="Curriculum", slug="curriculum"))
    index.save_revision().publish()
    m = index.add_child(instance=ModulePage(title="M", slug="m", code="m9", strand="science", summary="s"))
    t = m.add_child(instance=ModuleTierPage(title="T", slug="t1", tier="t1"))
    SourceFactory(key="usgs-2025", title="Mineral Commodity Summaries 2025")
    TermFactory()
    a = EditorFactory(username="alice", is_superuser=False, is_staff=False)
    a.groups.add(Group.objects.get(name="Editors"))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/pages/{t.pk}/add_subpage/")
    page.wait_for_load_state("networkidle")
    print(page.url)
    kp = page.locator("#key_points-root")
    for i in range(3):
        kp.locator("button[title='Insert a block']").last.click()
    body = page.locator("#body-root")
    body.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Text", exact=True).click()
    body.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Fact", exact=True).click()
    page.wait_for_timeout(500)
    open("/tmp/ej/blocks.html", "w").write(page.content())
    shot(page, "blocks")
