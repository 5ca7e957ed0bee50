"""A teacher downloads both editions of a module; a pack being built updates on the page by
itself; a visitor only ever sees the student edition. Screenshots in test-artifacts/."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from reelearn.packs.content import content_hash, load_page_content, packable_page
from reelearn.packs.models import Pack
from reelearn.packs.tasks import pack_build_task
from tests.factories import PASSWORD, TeacherFactory, make_curriculum
from tests.packs.factories import make_quiz

from .axe import AXE, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(transactional_db):
    data = make_curriculum(tiers=("t1",))
    make_quiz(data["tier_pages"]["t1"])
    return data


def pdf_words(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_teacher_downloads_both_editions(live_server, page, site, shot, tmp_path):
    TeacherFactory(username="rivera")
    tier_page = site["tier_pages"]["t1"]
    base = live_server.url
    sign_in(page, base, "rivera")
    page.goto(f"{base}/packs/page/{tier_page.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Printable packs")
    shot(page, "1-not-made-yet")
    if AXE.exists():
        assert axe_violations(page) == []

    downloaded = {}
    for edition, label in (("student", "Student edition"), ("teacher", "Teacher edition")):
        slot = page.locator(f"#pack-{edition}-a4")
        expect(slot).to_contain_text("Not made yet")
        # Celery runs eagerly in the live server, so the pack is built within the request.
        slot.get_by_role("button", name=f"Make this pack: {label}, A4").click()
        slot = page.locator(f"#pack-{edition}-a4")
        expect(slot).to_contain_text("Up to date")
        with page.expect_download() as info:
            slot.get_by_role("link", name="Download the PDF").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        downloaded[edition] = pdf_words(path)
    shot(page, "2-both-ready")
    assert "Lesson1(t1)" in downloaded["student"]
    assert "TEACHER-GUIDE-SECRET" not in downloaded["student"]
    assert "TEACHER-GUIDE-SECRET" in downloaded["teacher"]
    assert "Answerkeyandmarkingscheme" in downloaded["teacher"]


def test_a_pack_being_built_updates_by_itself(live_server, page, site, shot):
    tier_page = site["tier_pages"]["t1"]
    content = load_page_content(page=packable_page(tier_page.pk), edition="student", paper="letter")
    # Queued, as if waiting for a free worker.
    pack = Pack.objects.create(
        kind="module_tier",
        target=content.target,
        page=tier_page,
        edition="student",
        paper="letter",
        content_hash=content_hash(content),
        status="queued",
    )
    page.goto(f"{live_server.url}/packs/page/{tier_page.pk}/")
    slot = page.locator("#pack-student-letter")
    expect(slot).to_contain_text("Queued")
    expect(page.get_by_role("link", name="Check again")).to_be_visible()  # works without JS
    shot(page, "3-queued")
    pack_build_task(pack.pk)  # the worker gets to it
    # packs.js polls the API and reloads once the status changes.
    expect(page.locator("#pack-student-letter")).to_contain_text("Up to date", timeout=20000)
    shot(page, "4-updated-by-itself")


def test_visitors_see_the_student_edition_only(live_server, page, site, shot):
    tier_page = site["tier_pages"]["t1"]
    page.goto(f"{live_server.url}/packs/page/{tier_page.pk}/")
    expect(page.locator("#pack-student-a4")).to_be_visible()
    expect(page.locator("#pack-teacher-a4")).to_have_count(0)
    expect(page.get_by_text("Teachers who sign in also get the teacher edition")).to_be_visible()
    response = page.goto(f"{live_server.url}/packs/page/{tier_page.pk}/teacher-a4.pdf")
    assert response.status == 404
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/packs/page/{tier_page.pk}/")
    shot(page, "5-phone")
