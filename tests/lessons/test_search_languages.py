"""Search in the reader's language: Spanish with PostgreSQL's Spanish configuration (stems, so
"imanes" finds "imán"), Burmese inside its unspaced text; each language finds its own lessons."""

from __future__ import annotations

import pytest

from lessons.models import LessonPage
from tests.factories import translate_page

pytestmark = pytest.mark.django_db

SPANISH = "Los imanes de los coches eléctricos necesitan neodimio."
BURMESE = "လျှပ်စစ်ကားများရှိ သံလိုက်များသည် နီအိုဒီယမ်ကို လိုအပ်သည်။"


def translated(page, language, title, outcome):
    copy = translate_page(page, language)
    copy.title = title
    copy.outcome = outcome
    copy.body = [("text", f"<p>{outcome}</p>")]
    copy.save_revision().publish()
    return copy


def test_each_language_searches_its_own_lessons(curriculum, client):
    english = LessonPage.objects.filter(locale__language_code="en").first()
    translated(english, "es", "Conoce a la familia", SPANISH)
    translated(english, "my", "မိသားစုနှင့် တွေ့ဆုံခြင်း", BURMESE)

    # Spanish: a different form of the word still matches (the Spanish stemmer).
    html = client.get("/es/search/", {"q": "imán neodimio"}).content.decode()
    assert "Conoce a la familia" in html
    assert english.title not in html.split("<main", 1)[1]
    # Burmese: a word in the middle of unspaced text.
    html = client.get("/my/search/", {"q": "သံလိုက်"}).content.decode()
    assert "မိသားစုနှင့် တွေ့ဆုံခြင်း" in html
    # English finds the English lesson, not its translations.
    html = client.get("/search/", {"q": english.title}).content.decode()
    assert english.title in html
    assert "Conoce a la familia" not in html
    # A Spanish word is not found among Burmese lessons.
    html = client.get("/my/search/", {"q": "neodimio"}).content.decode()
    assert "Conoce a la familia" not in html
