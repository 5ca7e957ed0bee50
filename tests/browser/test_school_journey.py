"""A new teacher waits for verification and sees no guide; their school admin approves them;
now they see the guide. Screenshots at phone and desktop widths go to /tmp/shots/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reelearn.schools.models import School, SchoolMembership
from tests.factories import PASSWORD, TeacherFactory, make_curriculum

from .axe import check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# Where the reviewer looks at them; the usual artefacts folder keeps its own copies.
SHOTS = Path(os.environ.get("REELEARN_SHOTS_DIR", "/tmp/shots"))  # noqa: S108


@pytest.fixture
def site(transactional_db):
    data = make_curriculum(tiers=("t1",))
    data["home"].save_revision().publish()
    data["index"].save_revision().publish()
    return data


def sign_in(page, base: str, username: str) -> None:
    """The sign-in form, old or new: django-allauth names the account field `login`."""
    page.goto(base + "/accounts/sign-in/")
    login = page.locator("input[name=login]")
    field = login if login.count() else page.locator("input[name=username]")
    field.fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()


def both_widths(browser, page, base: str, path: str, name: str) -> None:
    """The page as `page`'s user sees it, at 1280 px and (same session) at 390 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(base + path)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-GB"
    )
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    small.goto(base + path)
    small.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    phone.close()


def test_a_new_teacher_waits_then_their_school_admin_verifies_them(
    live_server, page, browser, site
):
    base = live_server.url
    problems: dict = {}
    school = School.objects.create(
        name="Riverside School", town="Leeds", status="approved", decided_at=timezone.now()
    )
    head = TeacherFactory(username="head", display_name="Mrs Head")
    SchoolMembership.objects.create(
        school=school,
        teacher=head,
        role="admin",
        status="verified",
        via="staff",
        decided_at=timezone.now(),
    )
    TeacherFactory(username="newbie", display_name="Mr New", verified_at=None, school_name="")
    lesson = site["lessons"]["t1"][0]

    # The new teacher signs in and is sent to the honest page, not to a class list.
    sign_in(page, base, "newbie")
    page.goto(base + "/classes/")
    expect(page).to_have_url(base + "/schools/")
    expect(page.get_by_role("heading", name="Waiting for verification")).to_be_visible()
    both_widths(browser, page, base, "/schools/", "1-waiting-no-school")
    check_accessibility(page, problems, "schools-status")

    # … finds their school and asks to join …
    page.get_by_label("School name").fill("river")
    page.get_by_role("button", name="Find my school").click()
    page.get_by_role("button", name="Ask to join Riverside School").click()
    expect(page.get_by_text("Your request is waiting for Riverside School")).to_be_visible()
    both_widths(browser, page, base, "/schools/", "2-waiting-for-admins")

    # … and sees no guide on a lesson, nor at its address.
    page.goto(base + lesson.url)
    expect(page.get_by_role("link", name="Open the teacher guide")).to_have_count(0)
    response = page.goto(base + lesson.url + "guide/")
    assert response.status == 404

    # The school admin approves them.
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin = admin_context.new_page()
    sign_in(admin, base, "head")
    admin.goto(base + "/school/")
    expect(admin.get_by_role("heading", name="Riverside School")).to_be_visible()
    both_widths(browser, admin, base, "/school/", "3-school-admin")
    check_accessibility(admin, problems, "school-admin")
    admin.get_by_role("button", name="Approve Mr New").click()
    expect(admin.get_by_text("Mr New is now a verified teacher.")).to_be_visible()
    admin.get_by_role("button", name="Make an invitation link").click()
    expect(admin.get_by_label("Invitation link")).to_have_value(
        re.compile(rf"^{re.escape(base)}/schools/join/[A-Za-z0-9_-]+/$")
    )
    expect(admin.get_by_role("button", name="Copy link")).to_be_visible()  # JS adds it
    admin.screenshot(path=str(SHOTS / "4-invitation-1280.png"), full_page=True)
    both_widths(browser, admin, base, "/school/", "5-school-admin-after")
    admin_context.close()

    # The teacher now sees the guide.
    page.goto(base + "/schools/")
    expect(page.get_by_role("heading", name="You are a verified teacher")).to_be_visible()
    both_widths(browser, page, base, "/schools/", "6-verified")
    page.goto(base + lesson.url)
    page.get_by_role("link", name="Open the teacher guide").click()
    expect(page.get_by_text("TEACHER-GUIDE-SECRET").first).to_be_visible()
    assert not problems, problems
