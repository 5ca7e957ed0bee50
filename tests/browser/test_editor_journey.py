import pytest
from django.contrib.auth.models import Group
from lessons.models import CurriculumIndexPage
from tests.factories import EditorFactory, PASSWORD, SourceFactory, TermFactory, make_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_explore(live_server, page, shot):
    home = make_home()
    index = home.add_child(instance=CurriculumIndexPage(title="Curriculum", slug="curriculum"))
    index.save_revision().publish()
    SourceFactory(key="usgs-2025", title="Mineral Commodity Summaries 2025")
    TermFactory()
    a = EditorFactory(username="alice", is_superuser=False, is_staff=False)
    a.groups.add(Group.objects.get(name="Editors"))
    page.goto(live_server.url + "/admin/login/")
    open("/tmp/ej/login.html", "w").write(page.content())
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    shot(page, "dash")
    page.goto(f"{live_server.url}/admin/pages/{index.pk}/")
    open("/tmp/ej/explorer.html", "w").write(page.content())
    shot(page, "explorer")
    page.goto(f"{live_server.url}/admin/pages/add/lessons/modulepage/{index.pk}/")
    page.wait_for_load_state("networkidle")
    open("/tmp/ej/addmodule.html", "w").write(page.content())
    shot(page, "addmodule")
