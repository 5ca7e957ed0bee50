"""A 390 px phone with text at 200%: no page scrolls sideways (WCAG 1.4.10 Reflow).

Emulated as a 195 CSS px wide viewport at device scale 2, which is what a 390 px screen shows
with the browser zoomed to 200% (every length doubles, text included). One browser context,
the pages a pupil and a teacher meet first; the offenders are named when a page overflows. Target
sizes are CSS pixels, so the topic tags' 24 px holds at any zoom.
"""

from __future__ import annotations

import pytest

from reelearn.classroom import services
from tests.classroom.factories import ClassroomFactory
from tests.factories import PupilFactory, TeacherFactory, make_curriculum

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
    + ' ' + Math.round(el.getBoundingClientRect().right) + 'px')"""


@pytest.fixture
def site(transactional_db):
    data = make_curriculum(tiers=("t1", "t3"))
    data["home"].save_revision().publish()
    data["index"].save_revision().publish()
    data["module"].topics.set(["magnets", "supply chains", "recycling"])
    data["module"].save_revision().publish()
    teacher = TeacherFactory(username="smallteacher")
    teacher.set_password("a-long-test-password")
    teacher.save()
    classroom = ClassroomFactory(
        name="10R Science with a long name", teacher=teacher, pupils=[PupilFactory()]
    )
    assignment = services.assignment_create(
        classroom=classroom, created_by=teacher, page=data["tier_pages"]["t3"]
    )
    services.assignment_assign(assignment=assignment)
    return {**data, "classroom": classroom, "assignment": assignment}


@pytest.mark.browser
def test_pages_reflow_at_390_px_with_text_at_200_percent(live_server, browser, site, shot):
    context = browser.new_context(
        viewport={"width": 195, "height": 422}, device_scale_factor=2, locale="en-GB"
    )
    page = context.new_page()
    base = live_server.url
    classroom = site["classroom"]
    public = {
        "home": "/",
        "curriculum": "/curriculum/",
        "module": site["module"].url,
        "lesson": site["lessons"]["t3"][0].url,
        "search": "/search/?q=rare",
        "sign-in": "/accounts/sign-in/",
    }
    teacher = {
        "classes": "/classes/",
        "class": f"/classes/{classroom.pk}/",
        "assignment": f"/classes/{classroom.pk}/assignments/{site['assignment'].pk}/",
    }
    overflow = {}

    def visit(name, url):
        page.goto(base + url)
        shot(page, name)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflow[name] = page.evaluate(WIDEST)

    for name, url in public.items():
        visit(name, url)
        if name == "curriculum":  # topic tags are targets of their own: 24 px at least
            sizes = page.locator(".topics a").evaluate_all(
                "links => links.map(a => [a.offsetWidth, a.offsetHeight])"
            )
            assert len(sizes) == 3 and all(w >= 24 and h >= 24 for w, h in sizes), sizes
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("Username or email").fill("smallteacher")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/classes/**")
    for name, url in teacher.items():
        visit(name, url)
    for width in (390, 1280):  # the topic tags at a phone's and a PC's width, for the eye
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + "/curriculum/")
        shot(page, f"curriculum-{width}")
    context.close()
    assert not overflow, overflow
