"""axe-core on the public page types: 0 serious or critical violations; keyboard reachable."""

import pytest

from tests.factories import make_curriculum

from .axe import axe_violations


@pytest.fixture
def site(transactional_db):
    data = make_curriculum(tiers=("t1", "t3"))
    data["home"].save_revision().publish()
    data["index"].save_revision().publish()
    return data


@pytest.mark.browser
def test_public_pages_have_no_serious_accessibility_violations(live_server, page, site, shot):
    lesson = site["lessons"]["t1"][0]
    urls = {
        "home": "/",
        "curriculum": "/curriculum/",
        "module": site["module"].url,
        "module-tier": site["tier_pages"]["t3"].url,
        "lesson": lesson.url,
        "glossary": "/glossary/",
        "search": "/search/?q=rare",
        "sign-in": "/accounts/sign-in/",
    }
    problems = {}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        shot(page, name)
        found = axe_violations(page)
        if found:
            problems[name] = found
    assert not problems, problems


@pytest.mark.browser
def test_lesson_reads_on_a_phone_without_sideways_scrolling(live_server, phone_context, site, shot):
    page = phone_context.new_page()
    page.goto(live_server.url + site["lessons"]["t1"][0].url)
    shot(page, "phone-lesson")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert page.get_by_role("heading", level=1).is_visible()


@pytest.mark.browser
def test_lesson_works_without_javascript(live_server, no_js_context, site):
    page = no_js_context.new_page()
    page.goto(live_server.url + site["module"].url)
    page.get_by_role("link", name="Ages 14–16").click()
    assert "tier=t3" in page.url
    page.get_by_role("link", name=site["lessons"]["t3"][0].title).click()
    assert page.get_by_text("Fact number 0 about rare earths.").first.is_visible()


@pytest.mark.browser
def test_skip_link_is_the_first_tab_stop(live_server, page, site):
    page.goto(live_server.url + site["lessons"]["t1"][0].url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
