"""Playwright helpers for driving Wagtail 8's page editor the way an editor does.

Selectors are the admin's stable hooks: form field names (``body-1-value-statement``), labels,
ARIA roles and Wagtail's ``data-*`` attributes, never its utility CSS classes.
"""

from __future__ import annotations

import re

from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.factories import PASSWORD

TIMEOUT = 15_000
APPROVE = re.compile(r"^\s*Approve( and Publish)?\s*$", re.IGNORECASE)


# --- Signing in and finding one's way -----------------------------------------------------------


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign in through the admin's door (it leads to the site's one sign-in form) and land on
    the dashboard."""
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"), timeout=TIMEOUT)
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def open_add_child_form(page: Page, base_url: str, parent_id: int, type_name: str) -> None:
    """From the parent's explorer listing, press the header's "Add child page" button, and in
    Wagtail's page-type picker (the curriculum index takes modules and routes) the type.
    """
    page.goto(f"{base_url}/admin/pages/{parent_id}/")
    page.get_by_role("link", name="Add child page").click()
    heading = page.get_by_role("heading", name=re.compile(f"New: {type_name}|Create a page in"))
    expect(heading).to_be_visible(timeout=TIMEOUT)
    if "Create a page in" in heading.inner_text():
        page.get_by_role("link", name=type_name, exact=True).first.click()
    expect(page.get_by_role("heading", name=f"New: {type_name}")).to_be_visible(timeout=TIMEOUT)
    wait_for_editor(page)


def wait_for_editor(page: Page) -> None:
    """The edit form is usable once its scripts have run (the "load" event) and the title field
    is there; StreamField blocks and Draftail editors are then awaited by the locators that use
    them."""
    page.wait_for_load_state("load")
    expect(page.locator("input[name='title']")).to_be_editable(timeout=TIMEOUT)


def field(page: Page, name: str) -> Locator:
    return page.locator(f"[name='{name}']")


def show(locator: Locator) -> Locator:
    """Scroll the admin's content area to an element (the admin scrolls inside a container, so
    a full-page screenshot only shows what is scrolled into view)."""
    locator.scroll_into_view_if_needed()
    return locator


def set_slug(page: Page, slug: str) -> None:
    """Replace the slug Wagtail derived from the title (Promote tab).

    The title is copied into the slug by a Stimulus controller when the title field changes or
    loses focus; wait for that copy first, or it can land after (and over) the slug typed here.
    """
    page.get_by_role("tab", name="Promote").click()
    slug_input = field(page, "slug")
    expect(slug_input).not_to_have_value("")
    slug_input.fill(slug)
    slug_input.press("Tab")
    expect(slug_input).to_have_value(slug)
    page.get_by_role("tab", name="Content").click()
    expect(field(page, "title")).to_be_visible()


# --- StreamField --------------------------------------------------------------------------------


def stream_count(page: Page, stream: str) -> int:
    return int(field(page, f"{stream}-count").input_value())


def stream_insert(page: Page, stream: str, block_label: str | None = None) -> str:
    """Press the last "+" (Insert a block) of a StreamField and pick the block type if the stream
    offers several; returns the new block's form prefix, e.g. ``body-1``."""
    before = stream_count(page, stream)
    page.locator(f"#{stream}-root button[title='Insert a block']").last.click()
    if block_label is not None:
        menu = page.get_by_role("listbox", name="Search options…")
        expect(menu).to_be_visible()
        menu.get_by_role("option", name=block_label, exact=True).click()
    expect(field(page, f"{stream}-count")).to_have_value(str(before + 1))
    return f"{stream}-{before}"


def fill_key_points(page: Page, points: list[str]) -> None:
    for text in points:
        prefix = stream_insert(page, "key_points")
        field(page, f"{prefix}-value").fill(text)


def fill_rich_text(page: Page, input_name: str, text: str) -> None:
    """Type into the Draftail editor that belongs to the hidden input ``input_name``."""
    editor = field(page, input_name).locator("xpath=..").get_by_role("textbox")
    editor.click()
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text)


def fill_date(page: Page, input_name: str, value: str, *, then_click: Locator) -> None:
    """Type a date; the date picker that pops up closes once the editor clicks elsewhere."""
    field(page, input_name).fill(value)
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    # On a busy machine the picker can open after the first click elsewhere: click again.
    for _attempt in range(3):
        then_click.click()
        try:
            expect(pickers).to_have_count(0, timeout=3000)
            return
        except AssertionError:
            continue
    expect(pickers).to_have_count(0)


def choose_snippet(page: Page, chooser_input_name: str, link_text: str) -> Locator:
    """Open one snippet chooser widget's modal and pick the row whose link shows ``link_text``."""
    widget = field(page, chooser_input_name).locator("xpath=..")
    widget.locator("button[data-chooser-action-choose]").click()
    modal = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name="Choose"))
    expect(modal).to_be_visible(timeout=TIMEOUT)
    modal.get_by_role("link", name=re.compile(re.escape(link_text))).click()
    expect(modal).to_be_hidden(timeout=TIMEOUT)
    expect(field(page, chooser_input_name)).not_to_have_value("")
    return widget


# --- Preview and the footer actions -------------------------------------------------------------


def open_preview_panel(page: Page) -> FrameLocator:
    """Open the preview side panel; returns its iframe."""
    toggle = page.get_by_role("button", name="Toggle preview")
    new_tab = page.get_by_role("link", name="Preview in new tab")
    for _ in range(3):
        # Right after the panel was closed, its toggle may still be animating: click again
        # until the panel is really open.
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        try:
            expect(new_tab).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            continue
    expect(new_tab).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#w-preview-iframe")).to_be_visible(timeout=TIMEOUT)
    return page.frame_locator("#w-preview-iframe")


def close_preview_panel(page: Page) -> None:
    """Close the panel again: Wagtail remembers it as open for the next form, where it would
    post a preview after every change."""
    toggle = page.get_by_role("button", name="Toggle preview")
    if toggle.get_attribute("aria-expanded") == "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Preview in new tab")).to_be_hidden(timeout=TIMEOUT)


def preview_in_new_tab(page: Page) -> Page:
    """Preview side panel → "Preview in new tab": Wagtail posts the form as it stands, then
    opens the preview URL in a new tab. Returns that tab (the panel is closed again)."""
    open_preview_panel(page)
    with page.context.expect_page(timeout=TIMEOUT) as new_tab:
        page.get_by_role("link", name="Preview in new tab").click()
    tab = new_tab.value
    tab.wait_for_load_state("domcontentloaded")
    close_preview_panel(page)
    return tab


def footer(page: Page) -> Locator:
    return page.locator("footer").filter(has=page.get_by_role("button", name="Save draft"))


def save_draft(page: Page) -> None:
    """Press "Save draft" and wait for the form to come back (saved, or with its errors)."""
    with page.expect_navigation(timeout=TIMEOUT):
        footer(page).get_by_role("button", name="Save draft").click()
    wait_for_editor(page)


def open_footer_menu(page: Page) -> Locator:
    """Open the footer's "More actions" menu (the ⌃ next to "Save draft"); returns the footer."""
    bar = footer(page)
    toggle = bar.get_by_role("button", name="More actions")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    return bar


def footer_action(page: Page, name: str | re.Pattern) -> None:
    """Press one of the footer's "More actions" and wait for the page Wagtail goes to."""
    button = open_footer_menu(page).get_by_role("button", name=name, exact=isinstance(name, str))
    expect(button).to_be_visible()
    with page.expect_navigation(timeout=TIMEOUT):
        button.click()
    page.wait_for_load_state("domcontentloaded")


def submit_for_moderation(page: Page) -> None:
    """ "Submit to Moderators approval": Wagtail's default workflow, set on the root page."""
    footer_action(page, "Submit to Moderators approval")


def before_screenshot(page: Page) -> None:
    """Let a menu, modal or message finish its fade so the screenshot shows it settled: waits
    for every finite CSS animation and transition running on the page to finish (at most 5 s:
    the screenshot is a record, not a check)."""
    page.evaluate("""() => Promise.race([
        Promise.all(document.getAnimations()
            .filter((animation) => animation.playState === "running" && animation.effect
                    && animation.effect.getComputedTiming().endTime !== Infinity)
            .map((animation) => animation.finished.catch(() => null))),
        new Promise((resolve) => setTimeout(resolve, 5000)),
    ])""")
