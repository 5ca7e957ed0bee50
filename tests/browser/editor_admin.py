"""Playwright helpers for driving Wagtail 8's page editor like an editor would.

Selectors are the admin's stable hooks: field names (``body-1-value-statement``), labels,
ARIA roles and Wagtail's ``data-*`` attributes, never its utility CSS classes.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD

TIMEOUT = 15_000


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign in through Wagtail's own login form and land on the dashboard."""
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"), timeout=TIMEOUT)


def open_add_child_form(page: Page, base_url: str, parent_id: int, heading: str) -> None:
    """From the parent's explorer listing, use the header's "Add child page" button.

    Each of our parent types allows one child type, so Wagtail goes straight to the form.
    """
    page.goto(f"{base_url}/admin/pages/{parent_id}/")
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", name=f"New: {heading}")).to_be_visible(timeout=TIMEOUT)
    wait_for_editor(page)


def wait_for_editor(page: Page) -> None:
    """The edit form is usable once its Stimulus controllers have connected."""
    expect(page.locator("input[name='title']")).to_be_editable(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")


def set_slug(page: Page, slug: str) -> None:
    """The slug lives on the Promote tab."""
    page.get_by_role("tab", name="Promote").click()
    slug_input = page.locator("input[name='slug']")
    slug_input.fill(slug)
    page.get_by_role("tab", name="Content").click()


def stream_insert(page: Page, field: str, block_label: str | None = None) -> None:
    """Press the last "+" (Insert a block) of a StreamField; pick the block type if asked."""
    page.locator(f"#{field}-root button[title='Insert a block']").last.click()
    if block_label is not None:
        page.get_by_role("option", name=block_label, exact=True).click()


def stream_count(page: Page, field: str) -> int:
    return int(page.locator(f"input[name='{field}-count']").input_value())


def fill_rich_text(page: Page, input_name: str, text: str) -> None:
    """Type into the Draftail editor that belongs to the hidden input ``input_name``."""
    editor = page.locator(f"input[name='{input_name}']").locator("xpath=..").get_by_role(
        "textbox")
    editor.click()
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text)


def choose_snippet(page: Page, chooser_input_name: str, link_text: str) -> None:
    """Open the snippet chooser modal of one chooser widget and pick ``link_text``."""
    widget = page.locator(f"input[name='{chooser_input_name}']").locator("xpath=..")
    widget.locator("button[data-chooser-action-choose]").click()
    modal = page.get_by_role("dialog").filter(has_text="Choose")
    expect(modal).to_be_visible(timeout=TIMEOUT)
    modal.get_by_role("link", name=re.compile(re.escape(link_text))).click()
    expect(modal).to_be_hidden(timeout=TIMEOUT)
    expect(page.locator(f"input[name='{chooser_input_name}']")).not_to_have_value("")


def open_actions_menu(page: Page) -> Locator:
    """The footer's "more actions" dropdown next to "Save draft"."""
    footer = page.locator("footer")
    footer.locator("[data-w-dropdown-target='toggle']").last.click()
    return footer


def save_draft(page: Page) -> None:
    page.locator("footer").get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("networkidle")


def submit_for_moderation(page: Page) -> None:
    """Footer → ⌃ → "Submit to Moderators approval" (the default workflow on the root page)."""
    footer = open_actions_menu(page)
    footer.get_by_role("button", name="Submit to Moderators approval").click()
    page.wait_for_load_state("networkidle")
