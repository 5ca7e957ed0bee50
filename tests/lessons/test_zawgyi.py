"""Burmese typed in the legacy Zawgyi encoding is refused where editors save it, with a message
saying what to do; Unicode Burmese is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from lessons.models import LessonPage
from reelearn.core.zawgyi import reject_zawgyi

# "Rare earth elements are dug in mines in Kachin State": the same sentence in both encodings.
ZAWGYI = "ရွားပါးေျမျဒပ္စင္မ်ားကို ကခ်င္ျပည္နယ္ရွိ တြင္းမ်ားတြင္ တူးေဖာ္သည္။"
UNICODE = "ရှားပါးမြေဒြပ်စင်များကို ကချင်ပြည်နယ်ရှိ တွင်းများတွင် တူးဖော်သည်။"
MESSAGE = "This text looks like Zawgyi, an older Burmese encoding."


def test_zawgyi_is_refused_and_unicode_burmese_and_english_pass():
    with pytest.raises(ValidationError) as info:
        reject_zawgyi(ZAWGYI)
    assert info.value.code == "zawgyi"
    assert "Rabbit converter" in info.value.messages[0]
    with pytest.raises(ValidationError):
        reject_zawgyi(f"<p>Rare earths are mined in Kachin State ({ZAWGYI}).</p>")
    for text in (UNICODE, "Rare earth elements", "", "မ"):  # one letter: could be either
        reject_zawgyi(text)


def lesson_form(lesson, *, title=None, body=None, claim="Rare means none exists.") -> dict:
    return nested_form_data(
        {
            "title": title or lesson.title,
            "slug": lesson.slug,
            "outcome": lesson.outcome,
            "duration": "45",
            "supervision": "independent",
            "key_points": streamfield([("point", "One"), ("point", "Two"), ("point", "Three")]),
            "misconceptions": inline_formset([{"claim": claim, "response": "Spread thinly."}]),
            "content_guidance": inline_formset([]),
            "body": streamfield([("text", rich_text(body or "<p>Rare earths.</p>"))]),
        }
    )


@pytest.fixture
def edit(client, editor, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])

    def post(**fields):
        return client.post(url, lesson_form(lesson, **fields))

    return lesson, post


def draft(lesson) -> LessonPage:
    return LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object()


def test_the_admin_refuses_a_zawgyi_title(edit):
    lesson, post = edit
    response = post(title=ZAWGYI)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert response.context["form"].errors["title"][0].startswith(MESSAGE)
    assert draft(lesson).title == lesson.title  # nothing saved

    assert post(title=UNICODE).status_code == 302
    assert draft(lesson).title == UNICODE


def test_the_admin_refuses_zawgyi_in_a_text_block_of_the_body(edit):
    lesson, post = edit
    response = post(body=f"<p>{ZAWGYI}</p>")
    assert response.status_code == 200
    error = response.context["form"].errors.as_data()["body"][0]
    assert MESSAGE in str(error.block_errors[0].messages[0])  # on the text block itself
    assert ZAWGYI not in str(draft(lesson).body.raw_data)

    assert post(body=f"<p>{UNICODE}</p>").status_code == 302
    assert UNICODE in str(draft(lesson).body.raw_data)


def test_the_admin_refuses_zawgyi_in_an_inline_panel(edit):
    lesson, post = edit
    response = post(claim=ZAWGYI)
    assert response.status_code == 200
    formset = response.context["form"].formsets["misconceptions"]
    assert MESSAGE in formset.forms[0].errors["claim"][0]
    assert post(claim=UNICODE).status_code == 302
    assert UNICODE in [m.claim for m in draft(lesson).misconceptions.all()]
