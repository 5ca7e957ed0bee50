"""Forms that come back with errors: every `aria-describedby` names an element on the page (a
screen reader otherwise hears "invalid" with no message), the error summary takes focus on load
without JavaScript, and the page title starts with "Error:"."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.classroom.factories import make_group

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (tag, id it names)
        self.autofocus: list[str] = []
        self.title, self._in_title = "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for ref in (attrs.get("aria-describedby") or "").split():
            self.described.append((tag, ref))
        if "autofocus" in attrs:
            self.autofocus.append(attrs.get("id") or tag)
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check(response) -> Page:
    assert response.status_code in (200, 400), response.status_code
    page = Page(response.content.decode())
    missing = [(tag, ref) for tag, ref in page.described if ref not in page.ids]
    assert page.described and not missing
    assert page.title.strip().startswith("Error: ")
    assert page.autofocus == ["error-summary"]  # the summary, and nothing else, takes focus
    return page


def test_every_classroom_form_with_errors_describes_its_fields_with_what_is_on_the_page(
    client, teacher, classroom, curriculum, pupil
):
    make_group(classroom, "Table 1", [pupil])
    client.force_login(teacher)
    c = f"/classes/{classroom.pk}/"
    forms = [
        ("/classes/new/", {"name": ""}),
        (c + "edit/", {"name": "", "default_tier": "t9"}),
        (c + "pupils/add/", {"names": ""}),
        (c + "groups/", {"name": ""}),
        # No page (the field Django describes as id_page_error) and a bad audience choice.
        (c + "assignments/new/", {"page": "", "audience": "groups", "due_at": "soon"}),
    ]
    for url, data in forms:
        page = check(client.post(url, data))
        assert any(ref.endswith("_error") for _tag, ref in page.described), url
    assignment = check(client.post(c + "assignments/new/", {"audience": "nobody"}))
    assert ("fieldset", "id_audience_error") in assignment.described


def test_a_pupil_joining_with_a_bad_code_and_a_wrong_sign_in_say_error_first(client, db):
    check(client.post("/join/", {"code": "", "name": ""}))
    signed_in = client.post("/accounts/sign-in/", {"login": "nobody", "password": "wrong"})
    assert Page(signed_in.content.decode()).title.startswith("Error: ")
    assert "error-summary" in Page(signed_in.content.decode()).autofocus


def test_a_page_without_errors_has_a_plain_title_and_takes_no_focus(client, teacher, classroom):
    client.force_login(teacher)
    page = Page(client.get("/classes/new/").content.decode())
    assert not page.title.startswith("Error") and not page.autofocus
