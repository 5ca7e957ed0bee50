"""Which language a page speaks: content by its URL, everything else by the account (or the
switcher's cookie); the switcher is plain links; old English URLs keep working."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from lessons.models import LessonPage
from tests.factories import PupilFactory, translate_page

pytestmark = pytest.mark.django_db


def lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html)[1]


def test_a_pupil_whose_account_is_spanish_sees_the_interface_in_spanish(client, pupil):
    pupil.language = "es"
    pupil.save()
    client.force_login(pupil)
    response = client.get("/my-work/")
    html = response.content.decode()
    assert response["Content-Language"] == "es"
    assert lang(html) == "es"
    assert "Saltar al contenido principal" in html  # the skip link, from the catalogue
    assert "Skip to main content" not in html


def test_every_language_has_a_catalogue_and_its_own_name(client):
    html = client.get("/accounts/sign-in/").content.decode()
    for code, name in settings.LANGUAGES:
        assert f'hreflang="{code}"' in html and name in html
    for code in ("my", "kac", "zh-hans", "es", "pt"):
        response = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE=code)
        assert response["Content-Language"] == code, code
    burmese = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="my").content.decode()
    assert "ဝင်" in burmese  # the Burmese interface, not English with a Burmese tag


def test_the_switcher_is_plain_links_and_remembers_the_choice(curriculum, client, pupil):
    lesson = LessonPage.objects.filter(locale__language_code="en").first()
    copy = translate_page(lesson, "my")
    copy.title = "မိသားစုနှင့် တွေ့ဆုံခြင်း"
    copy.save_revision().publish()
    for ancestor in copy.get_ancestors().filter(depth__gte=2).specific():
        ancestor.save_revision().publish()  # else Wagtail routes /my/ through the English tree

    html = client.get(lesson.url).content.decode()
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert "<form" not in switcher and "csrfmiddlewaretoken" not in html
    assert lang(html) == "en" and "Accept-Language" not in client.get(lesson.url).get("Vary", "")

    # Following a link goes to the same page in that language and remembers it.
    response = client.get("/language/my/", {"next": lesson.url})
    assert response.status_code == 302 and response["Location"] == copy.url
    assert copy.url.startswith("/my/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "my"
    burmese = client.get(copy.url).content.decode()
    assert lang(burmese) == "my" and "မိသားစုနှင့် တွေ့ဆုံခြင်း" in burmese
    # The English URL still serves English: old links and QR codes keep working.
    assert lang(client.get(lesson.url).content.decode()) == "en"

    # Signed in, the choice is stored on the account.
    client.force_login(pupil)
    client.get("/language/es/", {"next": "/my-work/"})
    pupil.refresh_from_db()
    assert pupil.language == "es"
    # A page with no translation in that language stays itself; an outside address is refused.
    assert client.get("/language/es/", {"next": lesson.url})["Location"] == lesson.url
    assert client.get("/language/es/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/language/xx/").status_code == 404


def test_dates_name_their_month_in_the_readers_language(curriculum, client, pupil, teacher):
    """Django's Burmese catalogue has no month names; ours does (reelearn.core.calendar_names)."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from tests.classroom.factories import ClassroomFactory, make_assignment

    classroom = ClassroomFactory(teacher=teacher, pupils=[pupil])
    opens = timezone.make_aware(datetime(timezone.now().year + 1, 1, 14, 9, 0))
    make_assignment(
        classroom,
        curriculum["tier_pages"]["t1"],
        open_at=opens,
        due_at=opens + timedelta(days=30),
        title="Magnets",
    )
    client.force_login(pupil)
    expected = {
        "en": ("January", "February"),
        "my": ("ဇန်နဝါရီ", "ဖေဖော်ဝါရီ"),
        "es": ("enero", "febrero"),
    }
    for language, months in expected.items():
        pupil.language = language
        pupil.save()
        html = client.get("/my-work/").content.decode()
        assert all(month in html for month in months), language
    assert "January" not in html
    from reelearn.classroom.models import Membership

    newcomer = PupilFactory(display_name="Newcomer N.")
    Membership.objects.create(
        classroom=classroom,
        pupil=newcomer,
        status=Membership.Status.PENDING,
        joined_at=timezone.now() - timedelta(minutes=5),
    )
    teacher.language = "my"
    teacher.save()
    client.force_login(teacher)
    dashboard = client.get(f"/classes/{classroom.pk}/").content.decode()
    # The newcomer "joined 5 minutes ago", in Burmese (timesince keeps it on one line).
    assert "5\xa0မိနစ်" in dashboard


@pytest.mark.parametrize(
    ("language", "signed_in", "signed_out"),
    [
        ("my", "အကောင့်ဝင်ပြီးပါပြီ", "အကောင့်မှ ထွက်ပြီးပါပြီ။"),
        ("pt", "Você entrou como", "Você saiu da conta."),
    ],
)
def test_signing_in_and_out_is_said_in_the_readers_language(
    client, language, signed_in, signed_out
):
    """allauth has no Burmese and no plain Portuguese: its two messages come from ours. Signing
    in speaks the visitor's language (the switcher's cookie), signing out the account's."""
    pupil = PupilFactory(username="kyaw", display_name="Kyaw M.", language=language)
    pupil.set_password("a long password for kyaw 7")
    pupil.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        "/accounts/sign-in/",
        {"login": "kyaw", "password": "a long password for kyaw 7"},
        follow=True,
    )
    html = response.content.decode()
    assert signed_in in html and "Successfully signed in" not in html
    client.post("/accounts/sign-out/")
    assert signed_out in client.get("/accounts/sign-in/").content.decode()
