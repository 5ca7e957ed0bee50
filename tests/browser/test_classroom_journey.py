"""A teacher goes from sign-up to a class with pupils and an assignment; a pupil signs in from a
login card and sees it. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reelearn.classroom.models import Assignment, AssignmentPupil
from tests.factories import make_curriculum

from .axe import check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def verify_teacher(*, email: str) -> None:
    """What the teacher's school admin would do: an approved school, a verified membership."""
    from django.contrib.auth import get_user_model

    from reelearn.schools.models import School, SchoolMembership
    from reelearn.schools.services import teachers_verification_sync

    teacher = get_user_model().objects.get(email=email)
    school = School.objects.create(
        name="Riverside School", status="approved", decided_at=timezone.now()
    )
    SchoolMembership.objects.create(
        school=school, teacher=teacher, status="verified", via="staff", decided_at=timezone.now()
    )
    teachers_verification_sync(teacher_ids=[teacher.pk])


@pytest.fixture
def site(transactional_db):
    data = make_curriculum(tiers=("t1", "t3"))
    data["home"].save_revision().publish()
    data["index"].save_revision().publish()
    return data


def test_teacher_sets_work_and_a_pupil_finds_it(live_server, page, browser, site, shot, tmp_path):
    base = live_server.url
    problems: dict = {}

    # The teacher signs up …
    page.goto(base + "/accounts/sign-up/")
    page.get_by_label("Your name as pupils see it").fill("Ms Rivera")
    page.get_by_label("Email address").fill("rivera@school.example")
    page.get_by_label("School").fill("Riverside School")
    page.get_by_label("Password", exact=True).fill("maple otter harbour")
    page.get_by_label("Password again").fill("maple otter harbour")
    shot(page, "1-sign-up")
    page.get_by_role("button", name="Create account").click()

    # … is verified by their school (tests/browser/test_school_journey.py walks that part) …
    verify_teacher(email="rivera@school.example")

    # … creates a class …
    page.goto(base + "/classes/new/")
    page.get_by_label("Class name").fill("7R Science")
    page.get_by_label("Usual age tier for this class").select_option("t1")
    page.get_by_role("button", name="Create class").click()

    # … adds pupils by name …
    expect(page.get_by_role("heading", name="Add pupils")).to_be_visible()
    page.get_by_label("Pupils' names, one per line").fill("Amara K.\nBen T.\nChen L.")
    shot(page, "2-add-pupils")
    check_accessibility(page, problems, "add-pupils")
    page.get_by_role("button", name="Add pupils").click()
    expect(page.get_by_role("heading", name="Pupils added")).to_be_visible()

    # … opens the login cards …
    page.get_by_role("link", name="Open the login cards to print").click()
    cards = page.locator(".login-card")
    expect(cards).to_have_count(3)
    username = cards.first.locator(".card-username").inner_text().strip()
    password = cards.first.locator(".card-password").inner_text().strip()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # JS adds it
    shot(page, "3-login-cards")
    page.emulate_media(media="print")
    shot(page, "3b-login-cards-print")
    page.emulate_media(media="screen")

    # … assigns the module at ages 7–11, seeing the content guidance first.
    page.get_by_role("link", name="7R Science").click()
    page.get_by_role("link", name="Assign work").click()
    option = page.locator("#id_page option", has_text="Whole module").first
    page.locator("#id_page").select_option(option.get_attribute("value"))
    expect(page.locator(".field[data-field=groups]")).to_be_hidden()  # JS: "Chosen groups" only
    due = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Due").fill(due)
    page.get_by_label("Instructions for pupils").fill("Read both lessons, then mark them done.")
    shot(page, "4-assign-form")
    check_accessibility(page, problems, "assign-form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Content guidance")).to_be_visible()
    expect(page.get_by_text("Mentions polluted rivers.").first).to_be_visible()
    shot(page, "5-content-guidance")
    check_accessibility(page, problems, "content-guidance")
    page.get_by_role("button", name="I have read the guidance: assign it").click()
    expect(page.get_by_text("is set for 3 pupils")).to_be_visible()
    expect(page.locator(".progress-grid")).to_contain_text("Not started")
    shot(page, "6-dashboard")
    check_accessibility(page, problems, "dashboard")
    assignment = Assignment.objects.get()
    assert assignment.status == "assigned" and AssignmentPupil.objects.count() == 3

    # … and downloads the teacher edition of the module to print.
    page.goto(f"{base}/classes/{assignment.classroom_id}/assignments/{assignment.pk}/")
    page.get_by_role("link", name="Lesson packs (PDF)").click()
    slot = page.locator("#pack-teacher-a4")
    # Celery runs eagerly in the live server: the pack is built within the request.
    slot.get_by_role("button", name="Make this pack: Teacher edition, A4").click()
    slot = page.locator("#pack-teacher-a4")
    expect(slot).to_contain_text("Up to date")
    shot(page, "6b-teacher-pack")
    with page.expect_download() as info:
        slot.get_by_role("link", name="Download the PDF").click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    assert "TEACHER-GUIDE-SECRET" in text.stdout.decode()  # the guides are in it

    # A pupil signs in with the card's credentials and finds the work.
    pupil_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    pupil_page = pupil_context.new_page()
    pupil_page.goto(base + "/accounts/sign-in/")
    pupil_page.get_by_label("Username").fill(username)
    pupil_page.get_by_label("Password").fill(password)
    pupil_page.get_by_role("button", name="Sign in").click()
    expect(pupil_page).to_have_url(base + "/my-work/")
    expect(pupil_page.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(pupil_page.locator(".assignment-card")).to_contain_text(assignment.title)
    expect(pupil_page.locator(".assignment-card")).to_contain_text("Not started")
    width = pupil_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the pupil home scrolls sideways on a phone"
    shot(pupil_page, "7-my-work-phone")
    check_accessibility(pupil_page, problems, "my-work")
    pupil_page.get_by_role("button", name="Mark as done (Lesson 1 (t1))").click()
    expect(pupil_page.get_by_text("1 of 2 lessons done")).to_be_visible()
    shot(pupil_page, "8-my-work-after-done")
    pupil_context.close()
    assert not problems, problems


def test_pupil_home_works_without_javascript(live_server, no_js_context, site, shot):
    from reelearn.classroom import services
    from tests.factories import TeacherFactory

    teacher = TeacherFactory()
    classroom = services.classroom_create(teacher=teacher, name="7R", default_tier="t1")
    credential = services.pupils_create(classroom=classroom, names=["Amara K."])[0]
    draft = services.assignment_create(
        classroom=classroom, created_by=teacher, page=site["tier_pages"]["t1"]
    )
    services.assignment_assign(assignment=draft)
    page = no_js_context.new_page()
    page.goto(live_server.url + "/accounts/sign-in/")
    page.get_by_label("Username").fill(credential.username)
    page.get_by_label("Password").fill(credential.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Mark as done (Lesson 1 (t1))").click()
    expect(page.get_by_text("1 of 2 lessons done")).to_be_visible()
    page.get_by_role("button", name=f"Turn in ({draft.title})").click()
    # One lesson of two: a second step asks first, a plain form without JavaScript.
    expect(page.get_by_role("heading", name=f"Turn in “{draft.title}” now?")).to_be_visible()
    page.get_by_role("button", name="Turn in anyway").click()
    expect(page.get_by_text("is turned in")).to_be_visible()
    shot(page, "turned-in-no-js")


def test_login_cards_say_how_to_print_without_javascript(live_server, no_js_context, site):
    from reelearn.classroom import services
    from tests.factories import PASSWORD, TeacherFactory

    teacher = TeacherFactory(username="nojs-teacher")
    classroom = services.classroom_create(teacher=teacher, name="7R", default_tier="t1")
    services.pupils_create(classroom=classroom, names=["Amara K."])
    page = no_js_context.new_page()
    page.goto(live_server.url + "/accounts/sign-in/")
    page.get_by_label("Username").fill("nojs-teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/classes/{classroom.pk}/cards/")
    expect(page.get_by_text("use your browser's Print command")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()  # it would do nothing


def test_login_cards_print_eight_to_an_a4_page(live_server, page, site, shot, tmp_path):
    from pypdf import PdfReader

    from reelearn.classroom import services
    from tests.factories import PASSWORD, TeacherFactory

    teacher = TeacherFactory(username="cards-teacher")
    classroom = services.classroom_create(teacher=teacher, name="7R", default_tier="t1")
    services.pupils_create(classroom=classroom, names=[f"Pupil{n} A." for n in range(9)])
    page.goto(live_server.url + "/accounts/sign-in/")
    page.get_by_label("Username").fill("cards-teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/classes/{classroom.pk}/cards/")
    expect(page.locator(".login-card")).to_have_count(9)
    # On a phone at 200% text, the cards fit the width (no sideways scrolling).
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # CSSOM: CSP allows it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "cards-390-200pct")
    page.evaluate("document.documentElement.style.fontSize = ''")
    page.set_viewport_size({"width": 1280, "height": 900})
    pdf = tmp_path / "cards.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert first.count("Username") == 8 and "Pupil0 A." in first and "Sign out" not in first


def _at_both_widths(page, shot, problems: dict, name: str) -> None:
    """Screenshot and axe-check the current page at 1280 px and 390 px; at 390 px the page
    itself must not scroll sideways (wide tables scroll inside their own region)."""
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"{name}-{width}")
        check_accessibility(page, problems, f"{name}-{width}")
        if width == 390:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} scrolls sideways at 390 px ({scroll})"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_teacher_finds_and_marks_results_and_a_pupil_turns_in_part_done_work(
    live_server, page, phone_context, site, shot
):
    from reelearn.classroom import services
    from reelearn.classroom.models import AssignmentPupil, Membership
    from reelearn.quizzes import attempts
    from reelearn.quizzes.models import Question
    from tests.factories import PASSWORD, PupilFactory, TeacherFactory
    from tests.quizzes.factories import make_quiz

    base, problems = live_server.url, {}
    teacher = TeacherFactory(username="rivera", display_name="Ms Rivera")
    classroom = services.classroom_create(teacher=teacher, name="7R Science", default_tier="t1")
    amara, ben = (PupilFactory(display_name=n) for n in ("Amara K.", "Ben T."))
    Membership.objects.bulk_create([Membership(classroom=classroom, pupil=p) for p in (amara, ben)])
    tier_page = site["tier_pages"]["t1"]
    quiz = make_quiz(
        tier_page,
        title="Magnets quiz",
        kinds=[Question.Kind.TRUE_FALSE, Question.Kind.OPEN],
        open_for_practice=False,
    )
    draft = services.assignment_create(
        classroom=classroom, created_by=teacher, page=tier_page, title="Rare earths"
    )
    services.assignment_assign(assignment=draft)
    link = AssignmentPupil.objects.select_related("pupil", "assignment").get(pupil=amara)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=amara, link=link)
    questions = {q.kind: q for q in quiz.questions.all()}
    attempts.attempt_submit(
        attempt=attempt,
        answers=[
            (questions["true_false"], {"value": True}),
            (questions["open"], {"text": "Magnets in wind turbines need neodymium."}),
        ],
    )

    # The teacher's home says what waits: an answer to mark.
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("Username").fill("rivera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/classes/")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    expect(page.get_by_role("link", name="1 answer to mark in “Magnets quiz”")).to_be_visible()
    _at_both_widths(page, shot, problems, "1-teacher-home")

    # From the class page, results are one click away …
    page.get_by_role("link", name="7R Science").first.click()
    expect(page.locator(".cell-work")).to_contain_text(["0/2 lessons · quiz 1/5 so far, to mark"])
    _at_both_widths(page, shot, problems, "2-class-overview")
    page.get_by_role("navigation", name="This class").get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name="Results: 7R Science")).to_be_visible()
    _at_both_widths(page, shot, problems, "3-results-tab")

    # … and so are the assignment's results, question by question.
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Rare earths (results)").click()
    expect(page.get_by_role("heading", name="“Magnets quiz”, question by question")).to_be_visible()
    _at_both_widths(page, shot, problems, "4-assignment-results")

    # The teacher marks the open answer …
    page.get_by_role("link", name="Mark “Magnets quiz”: 1 attempt waiting").click()
    page.get_by_label("Points (0 to 4)").fill("3")
    page.get_by_label("Comment for the pupil").fill("Good: say which part of the turbine.")
    page.get_by_role("button", name="Save mark").click()
    expect(page.get_by_text("Mark saved.")).to_be_visible()
    _at_both_widths(page, shot, problems, "5-marking")

    # … and reads the item analysis.
    page.get_by_role("link", name="Item analysis").click()
    expect(page.get_by_role("heading", name="Item analysis: Magnets quiz")).to_be_visible()
    _at_both_widths(page, shot, problems, "6-item-analysis")

    # Ben reads one lesson of two and turns in: he is asked first, on his phone.
    phone = phone_context.new_page()
    phone.goto(base + "/accounts/sign-in/")
    phone.get_by_label("Username").fill(ben.username)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Rare earths").first.click()
    expect(phone.get_by_role("heading", level=1, name="Rare earths")).to_be_visible()
    phone.get_by_role("button", name="Mark as done (Lesson 1 (t1))").click()
    expect(phone.get_by_text("Lessons read: 1 of 2.")).to_be_visible()
    shot(phone, "7-pupil-assignment-390")
    check_accessibility(phone, problems, "7-pupil-assignment")
    phone.get_by_role("button", name="Turn in (Rare earths)").click()
    expect(phone.get_by_role("heading", name="Turn in “Rare earths” now?")).to_be_visible()
    expect(phone.get_by_text("Quiz “Magnets quiz”: not handed in")).to_be_visible()
    shot(phone, "8-turn-in-confirm-390")
    check_accessibility(phone, problems, "8-turn-in-confirm")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Turn in anyway").click()
    expect(phone.get_by_text("“Rare earths” is turned in.")).to_be_visible()
    expect(phone.get_by_text("Well done")).to_have_count(0)
    shot(phone, "9-turned-in-390")

    # The teacher's grid shows what Ben did, not just "Turned in".
    page.goto(f"{base}/classes/{classroom.pk}/")
    ben_row = page.get_by_role("row", name="Ben T.")
    expect(ben_row).to_contain_text("Turned in unfinished")
    expect(ben_row).to_contain_text("1/2 lessons · quiz not done")
    expect(page.get_by_role("row", name="Amara K.")).to_contain_text("quiz 4/5")
    shot(page, "10-class-overview-after")
    assert not problems, problems
