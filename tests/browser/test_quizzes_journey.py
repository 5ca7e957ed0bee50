"""A pupil takes a quiz: autosave, a network drop mid-way, resume after reload, submit and
feedback; then the same quiz without JavaScript. Screenshots land in test-artifacts/."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from reelearn.quizzes.models import Answer, Attempt, Question
from tests.factories import PASSWORD, make_curriculum
from tests.quizzes.factories import make_quiz

from .axe import check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Kind = Question.Kind


@pytest.fixture
def quiz_site(transactional_db):
    # Playwright's greenlet can hide the connection that holds the serialized test data, so
    # an earlier transactional test's flush may have renumbered content types: drop the
    # cached ids before building pages.
    ContentType.objects.clear_cache()
    data = make_curriculum(tiers=("t1",))
    data["home"].save_revision().publish()
    data["index"].save_revision().publish()
    lesson = data["lessons"]["t1"][0]
    quiz = make_quiz(
        lesson,
        title="Meet the family quiz",
        kinds=[
            Kind.SINGLE,
            Kind.SHORT_TEXT,
            Kind.NUMERIC,
            Kind.MULTIPLE,
            Kind.ORDERING,
            Kind.MATCHING,
            Kind.TRUE_FALSE,
        ],
        feedback_timing="after_submit",
        answers_timing="after_submit",
        attempts_allowed=0,
    )
    return {"lesson": lesson, "quiz": quiz}


def sign_in(page, base, username):
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def start_quiz(context, base, quiz, pupil):
    """A new tab in `context`, signed in as `pupil`, on a freshly started attempt."""
    page = context.new_page()
    sign_in(page, base, pupil.username)
    page.goto(base + f"/my-work/quizzes/{quiz.pk}/")
    page.get_by_role("button", name="Start the quiz").click()
    # The attempt page has loaded before anyone reloads or fills it in.
    page.wait_for_url(re.compile(r"/my-work/quizzes/attempts/[^/]+/$"))
    expect(page.locator("#quiz-form")).to_be_visible()
    return page


def fieldset(page, quiz, kind):
    question = quiz.questions.get(kind=kind)
    return page.locator(f"fieldset#q{question.pk}")


def answer_single(page, quiz):
    fieldset(page, quiz, Kind.SINGLE).get_by_text("Seventeen").click()


def answer_rest(page, quiz):
    box = fieldset(page, quiz, Kind.MULTIPLE)
    box.get_by_text("Neodymium").click()
    box.get_by_text("Dysprosium").click()
    order = fieldset(page, quiz, Kind.ORDERING)
    for place, item in enumerate(["mine", "separate", "make metal", "make magnet"], start=1):
        order.get_by_label(item, exact=True).select_option(str(place))
    match = fieldset(page, quiz, Kind.MATCHING)
    for left, right in (
        ("Neodymium", "Magnets"),
        ("Europium", "Red light"),
        ("Cerium", "Polishing glass"),
    ):
        match.get_by_label(left, exact=True).select_option(label=right)
    fieldset(page, quiz, Kind.TRUE_FALSE).get_by_text("True", exact=True).click()


def test_pupil_takes_a_quiz_through_a_network_drop(
    live_server, page, browser, quiz_site, teacher, shot
):
    from reelearn.accounts.models import User
    from reelearn.classroom import services as classroom_services

    base, quiz, lesson = live_server.url, quiz_site["quiz"], quiz_site["lesson"]
    problems: dict = {}
    # The teacher prints the class's login cards; the pupil signs in with what is on theirs.
    classroom = classroom_services.classroom_create(teacher=teacher, name="7R", default_tier="t1")
    classroom_services.pupils_create(classroom=classroom, names=["Amara K."])
    teacher_context = browser.new_context()
    teacher_page = teacher_context.new_page()
    sign_in(teacher_page, base, teacher.username)
    teacher_page.goto(f"{base}/classes/{classroom.pk}/cards/")
    card = teacher_page.locator(".login-card").first
    username = card.locator(".card-username").inner_text().strip()
    password = card.locator(".card-password").inner_text().strip()
    teacher_context.close()
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    pupil = User.objects.get(username=username)
    page.goto(base + lesson.url)
    slot = page.locator(".quiz-slot")
    expect(slot).to_contain_text("Meet the family quiz")
    slot.get_by_role("link", name="Start the quiz").click()
    shot(page, "1-quiz-page")
    check_accessibility(page, problems, "quiz-page")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", name="Meet the family quiz")).to_be_visible()
    attempt = Attempt.objects.get(pupil=pupil)
    status = page.locator("#save-status")

    answer_single(page, quiz)
    expect(status).to_contain_text("Saved")
    check_accessibility(page, problems, "attempt")

    # The network drops: answers wait in the browser and the status says so.
    page.context.set_offline(True)
    fieldset(page, quiz, Kind.SHORT_TEXT).get_by_label("Your answer").fill("Neodymium")
    fieldset(page, quiz, Kind.NUMERIC).get_by_label("Your answer (a number)").fill("120")
    expect(status).to_contain_text("Offline — will retry")
    key = f"reelearn-quiz-{attempt.pk}"
    page.wait_for_function(
        f"() => Object.keys(JSON.parse(localStorage.getItem('{key}') || '{{}}')).length === 2"
    )
    assert Answer.objects.filter(attempt=attempt).count() == 1
    shot(page, "2-offline")

    # Back online: the waiting answers are sent together, in one batch.
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append((request.method, request.url.split("/api/v1/")[-1]))
            if "/api/v1/" in request.url
            else None
        ),
    )
    page.context.set_offline(False)
    expect(status).to_contain_text("Saved", timeout=15000)
    assert Answer.objects.filter(attempt=attempt).count() == 3
    assert sent == [("POST", f"attempts/{attempt.pk}/answers/")], sent
    assert (
        json.loads(page.evaluate(f"() => localStorage.getItem('reelearn-quiz-{attempt.pk}')")) == {}
    )

    # Reload (or another device): the answers come back filled in.
    page.reload()
    expect(fieldset(page, quiz, Kind.SHORT_TEXT).get_by_label("Your answer")).to_have_value(
        "Neodymium"
    )
    expect(fieldset(page, quiz, Kind.SINGLE).get_by_label("Seventeen")).to_be_checked()
    answer_rest(page, quiz)
    expect(status).to_contain_text("Saved")
    shot(page, "3-answered")
    page.get_by_role("button", name="Review and hand in").click()
    expect(page.get_by_role("heading", name="You have answered every question")).to_be_visible()
    assert page.title().startswith("Check before you hand in, attempt 1: Meet the family quiz")
    shot(page, "3b-review")
    check_accessibility(page, problems, "review")
    page.get_by_role("button", name="Hand in my answers").click()

    # Feedback, as the settings allow (after submitting).
    expect(page.get_by_text("Your answers have been submitted.")).to_be_visible()
    expect(page.locator(".score")).to_contain_text("You got 7 of 7 questions right.")
    expect(page.locator(".q-feedback.is-right").first).to_contain_text("Right!")
    expect(page.locator(".q-key").first).to_contain_text("Correct answer:")
    shot(page, "4-result")
    check_accessibility(page, problems, "result")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 7
    assert page.evaluate(f"() => localStorage.getItem('reelearn-quiz-{attempt.pk}')") is None
    assert not problems, problems


def test_the_same_quiz_without_javascript(live_server, no_js_context, quiz_site, pupil, shot):
    quiz = quiz_site["quiz"]
    page = start_quiz(no_js_context, live_server.url, quiz, pupil)
    answer_single(page, quiz)
    fieldset(page, quiz, Kind.SHORT_TEXT).get_by_label("Your answer").fill("nd")
    fieldset(page, quiz, Kind.NUMERIC).get_by_label("Your answer (a number)").fill("lots")
    page.get_by_role("button", name="Save answers").click()
    # A bad number: an error summary, nothing lost from the form.
    expect(page.locator("#error-summary")).to_contain_text("Enter a number")
    shot(page, "1-error")
    fieldset(page, quiz, Kind.NUMERIC).get_by_label("Your answer (a number)").fill("119.8")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Answers saved at")).to_be_visible()
    expect(fieldset(page, quiz, Kind.SHORT_TEXT).get_by_label("Your answer")).to_have_value("nd")
    answer_rest(page, quiz)
    shot(page, "2-answered")
    page.get_by_role("button", name="Review and hand in").click()
    expect(page.get_by_role("heading", name="You have answered every question")).to_be_visible()
    page.get_by_role("button", name="Hand in my answers").click()
    expect(page.locator(".score")).to_contain_text("You got 7 of 7 questions right.")
    shot(page, "3-result")
    assert Attempt.objects.get(pupil=pupil).score == 7


def test_teacher_reads_the_gradebook_and_item_analysis(
    live_server, page, quiz_site, teacher, pupil, other_pupil, shot
):
    from tests.quizzes.factories import assign, link_for, make_class
    from tests.quizzes.test_teacher_views import take

    quiz, lesson = quiz_site["quiz"], quiz_site["lesson"]
    classroom = make_class(teacher, [pupil, other_pupil])
    assignment = assign(classroom, lesson, [pupil, other_pupil])
    take(quiz, pupil, link_for(assignment, pupil), {})
    take(
        quiz,
        other_pupil,
        link_for(assignment, other_pupil),
        {Kind.SINGLE: "Five", Kind.SHORT_TEXT: {"text": "Dysprosium"}},
    )
    base = live_server.url
    sign_in(page, base, teacher.username)
    page.goto(base + f"/classes/{classroom.pk}/gradebook/")
    expect(page.get_by_role("table")).to_contain_text("Zed Q.")
    shot(page, "1-gradebook")
    problems: dict = {}
    check_accessibility(page, problems, "gradebook")
    page.get_by_role("link", name="Meet the family quiz").click()
    expect(page.get_by_role("heading", name="Results: Meet the family quiz")).to_be_visible()
    shot(page, "2-results")
    page.get_by_role("link", name="Item analysis").click()
    expect(page.get_by_role("table")).to_contain_text("“Five” × 1")
    shot(page, "3-analysis")
    check_accessibility(page, problems, "item-analysis")
    page.goto(base + f"/classes/{classroom.pk}/quizzes/{quiz.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV: every answer").click()
    assert download.value.suggested_filename.endswith("-detail.csv")
    check_accessibility(page, problems, "results")
    assert not problems, problems


def large_text(page) -> None:
    """200% text as a reader sets it in the browser, not page zoom: the default font size
    (which em in media queries follows; headless Chromium applies it to them only) and the
    root font size the page's rem follow."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => "
        "document.documentElement.style.setProperty('font-size', '200%'))"
    )


def fits(page) -> bool:
    """No sideways scrolling at the context's width (a mobile context's window can grow to
    the content's width, so window.innerWidth would always fit)."""
    width = page.viewport_size["width"]
    return page.evaluate(f"() => document.documentElement.scrollWidth <= {width}")


def test_on_a_phone_a_pupil_reviews_before_handing_in_and_reads_feedback(
    live_server, phone_context, quiz_site, pupil, shot
):
    """390 px: answer two questions, Review shows the five left with links back; one is
    answered from there, the rest handed in on purpose; the result says what was right in
    words and shows the feedback for a wrong pick, not the key's mark on it. Then the same
    pages at 200% text, where the action bar no longer sticks."""
    quiz, problems = quiz_site["quiz"], {}
    page = start_quiz(phone_context, live_server.url, quiz, pupil)
    fieldset(page, quiz, Kind.SINGLE).get_by_text("Five").click()
    fieldset(page, quiz, Kind.TRUE_FALSE).get_by_text("True", exact=True).click()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    assert fits(page)
    box = fieldset(page, quiz, Kind.SINGLE).get_by_text("Seventeen").bounding_box()
    assert box["height"] >= 44  # touch targets
    bar = page.locator(".quiz-actions").bounding_box()
    assert bar["height"] < 0.2 * 844, bar  # the sticky bar stays small
    shot(page, "1-answering")
    page.get_by_role("button", name="Review and hand in").click()
    expect(page.get_by_role("heading", name="5 questions have no answer yet")).to_be_visible()
    expect(page.locator("[data-unsent-note]")).to_be_hidden()  # both answers were saved
    shot(page, "2-review")
    check_accessibility(page, problems, "review")
    assert fits(page)
    # Back to one of them through its link, answer it, and review again.
    text = quiz.questions.get(kind=Kind.SHORT_TEXT)
    link = page.locator(f"a[href$='#q{text.pk}']")
    expect(link).to_have_text(re.compile(r"^Question \d+$"))
    link.click()
    field = fieldset(page, quiz, Kind.SHORT_TEXT).get_by_label("Your answer")
    expect(field).to_be_in_viewport()
    field.fill("Neodymium")
    field.press("Enter")  # saves this answer; checks nothing, goes nowhere
    expect(page.locator("#save-status")).to_contain_text("Saved")
    expect(field).to_be_focused()
    page.get_by_role("button", name="Review and hand in").click()
    expect(page.get_by_role("heading", name="4 questions have no answer yet")).to_be_visible()
    page.get_by_role("button", name="Hand in my answers").click()
    # The result in words; the authors' feedback on the wrong pick; the key (released here on
    # submitting) beside it.
    expect(page.locator(".score")).to_contain_text("You got 2 of 7 questions right.")
    expect(page.locator(".tally")).to_contain_text("1 not right")
    expect(page.locator(".tally")).to_contain_text("4 not answered")
    single = fieldset(page, quiz, Kind.SINGLE)
    expect(single.locator(".q-feedback")).to_contain_text("Not right")
    expect(single.locator(".option-feedback")).to_have_text("FEEDBACK-WRONG")
    shot(page, "3-result")
    check_accessibility(page, problems, "result")
    assert fits(page)
    expect(page.get_by_role("link", name="Practise the 5 questions you missed")).to_be_visible()
    page.get_by_role("link", name="Practise the 5 questions you missed").click()
    expect(page.get_by_role("heading", name="Practise what you missed")).to_be_visible()
    check_accessibility(page, problems, "practice")
    # 200% text: still no sideways scrolling; the bar of an attempt does not stick.
    large_text(page)
    page.go_back()
    page.reload()
    shot(page, "4-result-200")
    second = phone_context.new_page()
    large_text(second)
    second.goto(f"{live_server.url}/my-work/quizzes/{quiz.pk}/")
    second.get_by_role("button", name="Try again").click()
    expect(second.get_by_role("heading", name="Meet the family quiz")).to_be_visible()
    assert second.locator(".quiz-actions").evaluate("el => getComputedStyle(el).position") == (
        "static"
    )
    shot(second, "5-attempt-200")
    assert fits(second)  # no sideways scrolling at 200% text either
    assert not problems, problems


def tab_to(page, target, *, limit=150):
    """Press Tab until `target` has the focus (every control must be reachable that way) and
    check the focus is visible."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            style = target.evaluate(
                "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.boxShadow]; }"
            )
            assert style[0] != "none" or style[1] != "none", "no visible focus"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached by Tab: {target}")


def test_a_quiz_with_the_keyboard_alone(live_server, page, quiz_site, pupil, shot):
    """Sign in, start, answer all seven kinds of question and submit: no mouse."""
    base, quiz = live_server.url, quiz_site["quiz"]
    page.goto(base + "/accounts/sign-in/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(pupil.username)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    page.goto(base + f"/my-work/quizzes/{quiz.pk}/")
    tab_to(page, page.get_by_role("button", name="Start the quiz"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Meet the family quiz")).to_be_visible()

    single = fieldset(page, quiz, Kind.SINGLE)
    # Tab enters a radio group at its first radio; arrow keys move the choice.
    tab_to(page, single.locator("input[type=radio]").first)
    page.keyboard.press("Space")
    for _ in range(8):
        if single.get_by_label("Seventeen").is_checked():
            break
        page.keyboard.press("ArrowDown")
    tab_to(page, fieldset(page, quiz, Kind.SHORT_TEXT).get_by_label("Your answer"))
    page.keyboard.type("Neodymium")
    tab_to(page, fieldset(page, quiz, Kind.NUMERIC).get_by_label("Your answer (a number)"))
    page.keyboard.type("120")
    multiple = fieldset(page, quiz, Kind.MULTIPLE)
    for name in ("Neodymium", "Dysprosium"):
        tab_to(page, multiple.get_by_label(name))
        page.keyboard.press("Space")
    order = fieldset(page, quiz, Kind.ORDERING)
    for place, item in enumerate(["mine", "separate", "make metal", "make magnet"], start=1):
        tab_to(page, order.get_by_label(item, exact=True))
        page.keyboard.type(str(place))  # type-ahead picks the option
    match = fieldset(page, quiz, Kind.MATCHING)
    for left, right in (
        ("Neodymium", "Magnets"),
        ("Europium", "Red light"),
        ("Cerium", "Polishing glass"),
    ):
        select = match.get_by_label(left, exact=True)
        tab_to(page, select)
        page.keyboard.type(right)  # type-ahead picks the option (each list has its own buffer)
        expect(select.locator("option:checked")).to_have_text(right)
    true_false = fieldset(page, quiz, Kind.TRUE_FALSE)
    tab_to(page, true_false.locator("input[type=radio]").first)
    page.keyboard.press("Space")
    for _ in range(3):
        if true_false.get_by_label("True", exact=True).is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    shot(page, "keyboard-answered")
    tab_to(page, page.get_by_role("button", name="Review and hand in"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Hand in my answers"))
    page.keyboard.press("Enter")
    expect(page.locator(".score")).to_contain_text("You got 7 of 7 questions right.")
    shot(page, "keyboard-result")
    assert Attempt.objects.get(pupil=pupil).score == 7


def test_a_timed_quiz_counts_down_warns_and_hands_in_what_was_typed(
    live_server, browser, quiz_site, pupil
):
    """Issue 19 §8: a countdown, a warning in the last minute, what is typed saved before the
    end and the answers handed in at zero — waited for, not slept through."""
    quiz = quiz_site["quiz"]
    quiz.time_limit_minutes = 1
    quiz.save()
    context = browser.new_context()
    page = start_quiz(context, live_server.url, quiz, pupil)
    attempt = Attempt.objects.get(pupil=pupil, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() + dt.timedelta(seconds=18)
    )
    page.reload()
    expect(page.locator("#quiz-timer")).to_be_visible()
    expect(page.locator("#quiz-timer [data-timer-value]")).to_have_text(re.compile(r"^0:1\d$"))
    expect(page.locator("#timer-warning")).to_be_visible()  # the last minute
    text = quiz.questions.get(kind=Kind.SHORT_TEXT)
    page.locator(f"fieldset#q{text.pk} input[type=text]").fill("Neodymium")
    page.wait_for_url(re.compile(r"/result/$"), timeout=40_000)  # handed in at zero
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert Answer.objects.get(attempt=attempt, question=text).response == {"text": "Neodymium"}
    context.close()
