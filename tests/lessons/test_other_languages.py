"""A lesson page links to the same lesson in every other language it is published in."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def also_in(html: str) -> str:
    start = html.find('class="other-languages"')
    return html[start : html.index("</nav>", start)] if start >= 0 else ""


def test_a_lesson_lists_its_live_translations_the_same_for_every_reader(
    client, curriculum, pupil, translate
):
    english = curriculum["lessons"]["t1"][0]
    assert also_in(client.get(english.url).content.decode()) == ""  # English only: no list
    burmese = translate(english)
    visitor = client.get(english.url).content.decode()
    assert f'<a href="{burmese.url}" lang="my" hreflang="my">မြန်မာဘာသာ</a>' in also_in(visitor)
    reader = Client()
    reader.force_login(pupil)
    assert also_in(reader.get(english.url).content.decode()) == also_in(visitor)
    assert "csrf" not in also_in(visitor)
    other_way = also_in(client.get(burmese.url).content.decode())
    assert f'href="{english.url}" lang="en"' in other_way and "my/" not in other_way

    # Publishing one more translation reaches pages already cached.
    spanish = translate(english, "es")
    visitor = also_in(client.get(english.url).content.decode())
    assert visitor.index(burmese.url) < visitor.index(spanish.url)  # in the languages' order
    assert 'lang="es"' in visitor and "Español" in visitor
    spanish.unpublish()
    assert spanish.url not in also_in(client.get(english.url).content.decode())
    untranslated = curriculum["lessons"]["t3"][0]
    assert also_in(client.get(untranslated.url).content.decode()) == ""
