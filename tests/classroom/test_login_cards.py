"""Login cards: `selectors.login_cards` (the packs app prints these too) and the print view."""

from __future__ import annotations

import dataclasses

import pytest

from reelearn.classroom import selectors, services
from reelearn.classroom.selectors import LoginCard

pytestmark = pytest.mark.django_db


def test_login_cards_can_be_printed_again_later(classroom):
    made = services.pupils_create(classroom=classroom, names=["Ben T.", "Abe Z."])
    cards = selectors.login_cards(classroom=classroom)
    assert all(isinstance(c, LoginCard) for c in cards)
    assert [f.name for f in dataclasses.fields(LoginCard)] == [
        "display_name",
        "username",
        "password",
        "class_name",
        "join_code",
        "sign_in_url",
        "held_elsewhere",
        "language",
    ]
    by_name = {c.display_name: c for c in cards}
    assert set(by_name) == {"Abe Z.", "Amara K.", "Ben T."}  # by name; the persona too
    for credential in made:
        card = by_name[credential.display_name]
        assert (card.username, card.password) == (credential.username, credential.password)
        assert card.class_name == "7R Science" and card.join_code == classroom.join_code
        assert card.sign_in_url == "http://127.0.0.1:8000/accounts/sign-in/"
    assert by_name["Amara K."].password is None  # made outside the platform: no card copy


def test_a_card_for_a_class_without_joining_has_no_code(classroom):
    services.classroom_join_disable(classroom=classroom)
    assert selectors.login_cards(classroom=classroom)[0].join_code is None


def test_the_print_view_shows_each_card_with_print_css(
    client, teacher, classroom, django_assert_num_queries
):
    made = services.pupils_create(classroom=classroom, names=["Ben T.", "Abe Z.", "Cy D."])
    client.force_login(teacher)
    # session, user, class with my role, memberships with pupils and their cards
    with django_assert_num_queries(4):
        response = client.get(f"/classes/{classroom.pk}/cards/")
    page = response.content.decode()
    assert page.count('class="login-card"') == 4
    for credential in made:
        assert credential.username in page and credential.password in page
    assert "css/classroom.css" in page and "print-cards" in page
    one = client.get(f"/classes/{classroom.pk}/cards/?pupil={made[0].user.pk}")
    assert one.content.decode().count('class="login-card"') == 1


def test_cards_never_show_another_class_or_reach_pupils(
    client, teacher, classroom, other_classroom, pupil
):
    other = services.pupils_create(classroom=other_classroom, names=["Secret S."])[0]
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/cards/?pupil={other.user.pk}").content.decode()
    assert other.username not in page and other.password not in page
    client.force_login(pupil)
    assert client.get(f"/classes/{classroom.pk}/cards/").status_code == 403


def test_each_card_is_printed_in_its_pupil_s_language(client, teacher, classroom):
    made = services.pupils_create(classroom=classroom, names=["Ko Aung", "Ana P."])
    burmese, spanish = (credential.user for credential in made)
    burmese.language, spanish.language = "my", "es"
    burmese.save()
    spanish.save()
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/cards/").content.decode()
    cards = {
        card.split('lang="', 1)[1].split('"', 1)[0]: card
        for card in page.split('<li class="login-card" ')[1:]
    }
    assert "အသုံးပြုသူအမည်" in cards["my"] and burmese.username in cards["my"]
    assert "Nombre de usuario" in cards["es"] and spanish.username in cards["es"]
    assert "Username" in cards["en"]  # the teacher's page itself stays in English
    card = {c.username: c for c in selectors.login_cards(classroom=classroom)}[burmese.username]
    assert card.qr_url.endswith("/language/my/?next=/accounts/sign-in/")
    assert card.sign_in_url.endswith("/accounts/sign-in/")  # the short address to type
