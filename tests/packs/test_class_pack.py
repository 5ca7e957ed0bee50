"""The class pack: one PDF per assignment with a class cover, login cards and a quiz sheet
with each pupil's name; for the class's teachers only, never publicly cached."""

from __future__ import annotations

import pytest

from reelearn.accounts.cards import card_store
from reelearn.packs import services
from reelearn.packs.models import Pack
from reelearn.quizzes.models import Quiz

from .factories import make_assignment, make_class
from .helpers import has, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(teacher, tier_page):
    classroom = make_class(teacher, pupils=3)
    return make_assignment(classroom, tier_page)


@pytest.fixture
def class_pack(assignment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.class_pack_request(assignment=assignment, paper="a4")
    pack.refresh_from_db()
    return pack


def test_a_named_quiz_sheet_and_a_login_card_per_pupil(assignment, class_pack):
    assert class_pack.status == Pack.Status.READY, class_pack.error
    text = pdf_text(class_pack)
    assert has(text, "7R Science") and has(text, "Magnets week")
    pupils = [link.pupil for link in assignment.pupil_links.select_related("pupil")]
    for pupil in pupils:
        assert text.count(f"Name:{pupil.display_name}") == 1  # one named sheet each
        assert has(text, f"Username{pupil.username}")  # a login card
    assert not has(text, "ACCEPTEDSECRET")  # quiz sheets carry no key
    # Cover, how-to, one page of cards, two pages of quiz per pupil.
    assert class_pack.page_count == 3 + 2 * len(pupils)


def test_printed_passwords_come_from_the_cards(assignment, django_capture_on_commit_callbacks):
    pupil = assignment.pupil_links.select_related("pupil").first().pupil
    pupil.set_password("otter-maple-47")
    pupil.save()
    card_store(users_passwords=[(pupil, "otter-maple-47")])
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.class_pack_request(assignment=assignment, paper="letter")
    pack.refresh_from_db()
    text = pdf_text(pack)
    assert has(text, "Passwordotter-maple-47")
    assert has(text, "ask your teacher")  # the others have no card password


def test_a_new_pupil_changes_the_pack(assignment, class_pack, django_capture_on_commit_callbacks):
    from reelearn.classroom.models import AssignmentPupil, Membership

    from ..factories import PupilFactory

    newcomer = PupilFactory(display_name="Newcomer N.")
    Membership.objects.create(classroom=assignment.classroom, pupil=newcomer)
    AssignmentPupil.objects.create(assignment=assignment, pupil=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.class_pack_request(assignment=assignment, paper="a4")
    pack.refresh_from_db()
    assert pack.pk != class_pack.pk
    assert has(pdf_text(pack), "Name:Newcomer N.")


@pytest.mark.usefixtures("shared_pdfs")  # access only; no names or ids read
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("teacher", 200),
        ("other_teacher", 404),
        ("pupil", 404),
        ("editor", 404),
    ],
)
def test_class_pack_access(client, request, class_pack, assignment, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"/packs/class/{assignment.pk}/")
    download = client.get(f"/packs/{class_pack.pk}/download/")
    latest = client.get(f"/packs/class/{assignment.pk}/a4.pdf")
    assert (page.status_code, download.status_code, latest.status_code) == (expected,) * 3
    if expected == 200:
        assert "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]
        html = page.content.decode()
        assert "Up to date" in html
        quiz = Quiz.objects.get(page=assignment.page)
        marks = f"/classes/{assignment.classroom_id}/quizzes/{quiz.pk}/paper/{assignment.pk}/"
        assert f'href="{marks}"' in html  # type the paper marks in


@pytest.mark.usefixtures("shared_pdfs")  # access only; no names or ids read
def test_visitors_are_sent_to_sign_in(client, class_pack, assignment):
    response = client.get(f"/packs/class/{assignment.pk}/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert client.get(f"/packs/{class_pack.pk}/download/").status_code == 404


def test_the_teacher_makes_it_from_the_class_pack_page(
    client, teacher, assignment, django_capture_on_commit_callbacks
):
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/packs/class/{assignment.pk}/", {"paper": "letter"})
    assert response.status_code == 302
    assert Pack.objects.get(kind=Pack.Kind.CLASS).status == Pack.Status.READY
    bad = client.post(f"/packs/class/{assignment.pk}/", {"paper": "tabloid"})
    assert bad.status_code == 400 and "Paper size" in bad.content.decode()


def test_publishing_the_quiz_rebuilds_the_class_pack(
    class_pack, tier_page, django_capture_on_commit_callbacks
):
    quiz = Quiz.objects.get(page=tier_page)
    quiz.title = "Renamed quiz"
    with django_capture_on_commit_callbacks(execute=True):
        quiz.save_revision().publish()
    newest = Pack.objects.filter(kind=Pack.Kind.CLASS, status="ready").latest("built_at")
    assert newest.pk != class_pack.pk
    assert has(pdf_text(newest), "Quiz: Renamed quiz")


def test_the_assignment_page_links_to_its_packs(client, teacher, assignment, tier_page):
    client.force_login(teacher)
    html = client.get(
        f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/"
    ).content.decode()
    assert f'href="/packs/class/{assignment.pk}/"' in html
    assert f'href="/packs/page/{tier_page.pk}/"' in html
