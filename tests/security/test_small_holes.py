"""The smaller holes of issue 16, part 3, each tried the way an attacker (or an unlucky user)
would: formula cells in CSV exports, a private page still in the anonymous cache, odd input
(deep JSON, 25-digit ids, NUL), erased pupils left in PDFs, guessable card passwords, cards
voided by a hash upgrade, and names that hide their direction."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import Resolver404, resolve
from wagtail.models import PageViewRestriction

from reelearn.accounts.words import WORDS
from reelearn.classroom import services
from reelearn.packs import services as pack_services
from reelearn.packs.models import Pack

from ..classroom.factories import ClassroomFactory, make_assignment
from ..packs.helpers import has, pdf_text
from .crawler import route_urls

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.example","Hi")'


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


# --- CSV exports --------------------------------------------------------------------------------


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def test_no_csv_export_hands_a_spreadsheet_a_formula(teacher, curriculum):
    classroom = ClassroomFactory(name="+7R Science", teacher=teacher)
    client = _as(teacher)
    names = [FORMULA, "-2+3 Tab", "+Amara K.", "\tTabby T.", "\rCarla C."]
    assert (
        _post_json(client, f"/api/v1/classes/{classroom.pk}/pupils/", {"names": names}).status_code
        == 201
    )
    page = curriculum["tier_pages"]["t1"]
    make_assignment(classroom, page, title="@SUM(A1:A9) week")
    export = client.get(f"/api/v1/classes/{classroom.pk}/export/")
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        tables = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".csv")}
    gradebook = client.get(f"/classes/{classroom.pk}/gradebook/gradebook.csv")
    assert gradebook.status_code == 200
    tables["gradebook"] = b"".join(gradebook.streaming_content).decode()
    for name, text in tables.items():
        for cell in _cells(text):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    pupils = _cells(tables["pupils.csv"])
    assert "'" + FORMULA in pupils  # kept, and shown as text
    assert "'@SUM(A1:A9) week" in _cells(tables["assignments.csv"])


# --- The anonymous page cache and private pages -------------------------------------------------


def test_a_page_made_private_is_not_served_from_the_anonymous_cache(curriculum, editor):
    lesson = curriculum["lessons"]["t1"][0]
    visitor = Client()
    assert visitor.get(lesson.url).status_code == 200
    assert visitor.get(lesson.url)["X-Cache"] == "hit"
    # The editor makes it private in the admin (Wagtail's privacy dialog).
    admin = _as(editor)
    response = admin.post(
        f"/admin/pages/{lesson.pk}/privacy/",
        {"restriction_type": "login", "password": "", "groups": []},
    )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=lesson).exists()
    private = visitor.get(lesson.url)
    assert private.status_code == 302 and "X-Cache" not in private
    assert lesson.outcome not in private.content.decode()
    # Public again: the page is served fresh, not the sign-in redirect.
    admin.post(f"/admin/pages/{lesson.pk}/privacy/", {"restriction_type": "none"})
    assert visitor.get(lesson.url).status_code == 200


def test_a_password_protected_page_is_never_cached(curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    PageViewRestriction.objects.create(page=lesson, restriction_type="password", password="magnets")
    visitor = Client()
    for _ in range(2):
        response = visitor.get(lesson.url)
        assert response.get("X-Cache") != "hit"
        assert lesson.outcome not in response.content.decode()


def test_changing_who_may_see_a_private_page_purges_the_cache(curriculum):
    lesson = curriculum["lessons"]["t1"][1]
    visitor = Client()
    visitor.get(lesson.url)
    assert visitor.get(lesson.url)["X-Cache"] == "hit"
    restriction = PageViewRestriction.objects.create(
        page=lesson.get_parent(), restriction_type="login"
    )
    assert visitor.get(lesson.url).status_code == 302  # a parent's restriction covers it
    restriction.delete()
    assert visitor.get(lesson.url).status_code == 200


# --- Odd input: deep JSON, 25-digit ids, NUL ----------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/join/"])
def test_deeply_nested_json_is_a_clear_400(url):
    response = Client().post(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


BIG = 10**24 + 7  # 25 digits


def test_a_25_digit_id_is_not_a_route(teacher):
    for url in route_urls(
        {
            name: [BIG]
            for name in (
                "class_id",
                "assignment_id",
                "pupil_id",
                "teacher_id",
                "group_id",
                "link_id",
                "page_id",
                "pack_id",
            )
        }
    ):
        if re.match(r"^/(classes/\d+/(?!gradebook|quizzes)|my-work/(?!quizzes)|packs/)", url):
            # Not the route that would turn it into an int: only Wagtail's page catch-all (a
            # 404 by path) is left.
            with contextlib.suppress(Resolver404):
                assert resolve(url).url_name == "wagtail_serve", url


def test_25_digit_ids_are_a_404_or_400_everywhere(teacher, pupil, curriculum):
    classroom = ClassroomFactory(teacher=teacher, pupils=[pupil])
    ids = {
        name: [BIG]
        for name in (
            "class_id",
            "assignment_id",
            "pupil_id",
            "teacher_id",
            "group_id",
            "quiz_id",
            "attempt_id",
            "question_id",
            "answer_id",
            "link_id",
            "page_id",
            "pack_id",
        )
    }
    for user in (teacher, pupil):
        client = _as(user)
        for url in route_urls(ids):
            assert client.get(url).status_code in (400, 403, 404, 405), url
        for url in (
            f"/api/v1/classes/{BIG}/",
            f"/api/v1/packs/{BIG}/",
            f"/api/v1/packs/?page_id={BIG}",
            f"/api/v1/my/assignments/{BIG}/",
            f"/classes/{classroom.pk}/cards/?pupil={BIG}",
        ):
            assert client.get(url).status_code in (200, 403, 404), url
    client = _as(teacher)
    group = _post_json(
        client, f"/api/v1/classes/{classroom.pk}/groups/", {"name": "Readers", "pupils": [BIG]}
    )
    assert group.status_code == 400 and "pupils" in group.json()["fields"]
    pack = _post_json(client, "/api/v1/packs/", {"page": BIG})
    assert pack.status_code in (400, 404)


def test_a_nul_in_search_is_a_clear_400(curriculum):
    page = Client().get("/search/?q=magnets%00")
    assert page.status_code == 400 and "NUL" in page.content.decode()
    api = Client().get("/api/v2/pages/?search=magnets%00")
    assert api.status_code == 400 and "NUL" in api.json()["message"]


# --- Erasing a pupil reaches the class packs ---------------------------------------------------


def test_erasing_a_pupil_removes_them_from_stored_class_packs(
    teacher, curriculum, django_capture_on_commit_callbacks
):
    classroom = ClassroomFactory(name="7R Science", teacher=teacher)
    made = services.pupils_create(classroom=classroom, names=["Erasable-Marker E.", "Stays S."])
    assignment = make_assignment(classroom, curriculum["tier_pages"]["t1"], title="Magnets")
    with django_capture_on_commit_callbacks(execute=True):
        old = pack_services.class_pack_request(assignment=assignment, paper="a4")
    old.refresh_from_db()
    assert old.status == Pack.Status.READY and has(pdf_text(old), "Erasable-Marker E.")
    storage, name = old.file.storage, old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(teacher).delete(f"/api/v1/classes/{classroom.pk}/pupils/{made[0].user.pk}/")
    assert response.status_code == 204
    assert not storage.exists(name)
    for pack in Pack.objects.filter(kind=Pack.Kind.CLASS):
        assert pack.status == Pack.Status.READY
        text = pdf_text(pack)
        assert not has(text, "Erasable-Marker E.") and has(text, "Stays S.")


# --- Login-card passwords -----------------------------------------------------------------------


def test_card_passwords_have_at_least_30_bits(teacher):
    classroom = ClassroomFactory(teacher=teacher)
    made = _post_json(
        _as(teacher), f"/api/v1/classes/{classroom.pk}/pupils/", {"names": ["Ava A.", "Ben B."]}
    ).json()
    for credential in made:
        *words, number = credential["password"].split("-")
        assert set(words) <= set(WORDS) and 10 <= int(number) <= 99
        space = math.perm(len(WORDS), len(words)) * 90
        assert math.log2(space) >= 30


def test_a_card_keeps_working_after_the_first_sign_in(teacher, settings):
    # Production's hasher: the pupil's first sign-in re-hashes the bulk-made password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    classroom = ClassroomFactory(teacher=teacher)
    made = services.pupils_create(classroom=classroom, names=["Ava A."])[0]
    before = made.user.password
    pupil = Client()
    assert (
        pupil.post(
            "/accounts/sign-in/", {"login": made.username, "password": made.password}
        ).status_code
        == 302
    )
    made.user.refresh_from_db()
    assert made.user.password != before  # the hash was upgraded
    cards = _as(teacher).get(f"/classes/{classroom.pk}/cards/").content.decode()
    assert made.password in cards
    assert authenticate(username=made.username, password=made.password) == made.user


# --- Names that hide their direction ------------------------------------------------------------

BIDI = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200e", "\u061c"]


@pytest.mark.parametrize("mark", BIDI)
def test_names_with_bidirectional_controls_are_refused(teacher, mark):
    classroom = ClassroomFactory(teacher=teacher, join_needs_approval=False)
    client = _as(teacher)
    name = f"Amara{mark} K."
    pupils = _post_json(client, f"/api/v1/classes/{classroom.pk}/pupils/", {"names": [name]})
    assert pupils.status_code == 400 and "direction" in str(pupils.json()["fields"]["names"])
    form = client.post(f"/classes/{classroom.pk}/pupils/add/", {"names": name})
    assert form.status_code == 400 and "direction" in form.content.decode()
    created = _post_json(client, "/api/v1/classes/", {"name": f"7R{mark} Science"})
    assert created.status_code == 400 and "name" in created.json()["fields"]
    group = _post_json(client, f"/api/v1/classes/{classroom.pk}/groups/", {"name": name})
    assert group.status_code == 400 and "name" in group.json()["fields"]
    joined = _post_json(Client(), "/api/v1/join/", {"code": classroom.join_code, "name": name})
    assert joined.status_code == 400 and "name" in joined.json()["fields"]
    sign_up = Client().post(
        "/accounts/sign-up/",
        {
            "display_name": f"Ms{mark} Rivera",
            "email": "rivera@school.example",
            "school_name": "Hill School",
            "password1": "a long pass phrase 9",
            "password2": "a long pass phrase 9",
        },
    )
    assert sign_up.status_code in (200, 400) and "direction" in sign_up.content.decode()


def test_nul_and_lone_surrogates_in_stored_text_are_refused(teacher, curriculum):
    classroom = ClassroomFactory(teacher=teacher)
    client = _as(teacher)
    for bad in ("7R\x00", "7R \ud800"):
        escaped = bad.encode("unicode_escape").decode().replace("\\x00", "\\u0000")
        response = client.post(
            "/api/v1/classes/", '{"name": "' + escaped + '"}', content_type="application/json"
        )
        assert response.status_code == 400, bad
    assignment = client.post(
        f"/api/v1/classes/{classroom.pk}/assignments/",
        '{"page": '
        + str(curriculum["tier_pages"]["t1"].pk)
        + ', "title": "Week \\ud83d", "instructions": "Read \\u0000"}',
        content_type="application/json",
    )
    assert assignment.status_code == 400


def test_nul_anywhere_in_an_assignments_quiz_settings_is_a_400(teacher, curriculum):
    """Found by the API fuzzer: PostgreSQL's jsonb refuses \\u0000, which was a 500."""
    classroom = ClassroomFactory(teacher=teacher)
    client = _as(teacher)
    page = curriculum["tier_pages"]["t1"].pk
    for settings_json in (
        '{"grading_method": "last\\u0000"}',
        '{"\\u0000": 1}',
        '{"answers_timing": ["x", {"y": "\\ud800"}]}',
    ):
        response = client.post(
            f"/api/v1/classes/{classroom.pk}/assignments/",
            '{"page": ' + str(page) + ', "quiz_settings": ' + settings_json + "}",
            content_type="application/json",
        )
        assert response.status_code == 400, settings_json
        assert "quiz_settings" in response.json()["fields"]
    fine = client.post(
        f"/api/v1/classes/{classroom.pk}/assignments/",
        {"page": page, "quiz_settings": {"grading_method": "last"}},
        content_type="application/json",
    )
    assert fine.status_code == 201
