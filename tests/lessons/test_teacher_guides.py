"""Teacher guides never reach pupils or anonymous visitors, by any route."""

import pytest
from django.core.management import call_command
from django.test import Client

SECRET = "TEACHER-GUIDE-SECRET"
MODULE_SECRET = "MODULE-GUIDE-SECRET"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona, status", [("anonymous", 302), ("pupil", 404), ("teacher", 200), ("editor", 200)]
)
def test_guide_route_access_matrix(request, curriculum, persona, status):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    lesson = curriculum["lessons"]["t1"][0]
    tier_page = curriculum["tier_pages"]["t1"]
    lesson_guide = client.get(lesson.url + "guide/")
    module_guide = client.get(tier_page.url + "guide/")
    assert lesson_guide.status_code == status
    assert module_guide.status_code == status
    assert (SECRET in lesson_guide.content.decode()) is (status == 200)
    assert (MODULE_SECRET in module_guide.content.decode()) is (status == 200)
    if status == 302:  # signed out: to sign in and back, as for any page needing it
        assert lesson_guide["Location"] == f"/accounts/sign-in/?next={lesson.url}guide/"


def test_a_signed_out_redirect_says_nothing_about_a_guide(client, curriculum):
    """A page without a guide redirects the same way: the redirect does not reveal one."""
    from lessons.models import TeacherGuide

    lesson = curriculum["lessons"]["t1"][0]
    other = curriculum["lessons"]["t1"][1]
    TeacherGuide.objects.filter(page=other).delete()
    with_guide, without = client.get(lesson.url + "guide/"), client.get(other.url + "guide/")
    assert with_guide.status_code == without.status_code == 302
    assert without["Location"] == f"/accounts/sign-in/?next={other.url}guide/"


def test_a_signed_out_teacher_is_sent_to_sign_in_and_back_to_the_guide(client, curriculum, teacher):
    from tests.factories import PASSWORD

    lesson = curriculum["lessons"]["t1"][0]
    response = client.get(lesson.url + "guide/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/sign-in/")
    response = client.post(
        f"/accounts/sign-in/?next={lesson.url}guide/",
        {"login": teacher.username, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{lesson.url}guide/"
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "pupil"])
def test_guide_text_absent_from_every_public_route(request, curriculum, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    lesson = curriculum["lessons"]["t1"][0]
    curriculum["home"].save_revision().publish()
    curriculum["index"].save_revision().publish()
    urls = [
        lesson.url,
        curriculum["tier_pages"]["t1"].url,
        curriculum["module"].url,
        curriculum["index"].url,
        "/sitemap.xml",
        "/search/?q=secret",
        "/search/?q=answers",
        "/api/v2/pages/?type=lessons.LessonPage&fields=*",
        f"/api/v2/pages/{lesson.pk}/",
        "/glossary/",
    ]
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        assert SECRET not in body and MODULE_SECRET not in body, url
        assert "/guide/" not in body, url
    call_command("update_index", verbosity=0)
    found = client.get("/search/?q=TEACHER-GUIDE-SECRET").content.decode()
    assert "0 lessons found" in found


def test_lesson_page_shows_teacher_panel_only_to_teachers(client, curriculum, teacher, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    client.force_login(teacher)
    html = client.get(lesson.url).content.decode()
    assert "Content guidance" in html and "Mentions polluted rivers." in html
    assert f'href="{lesson.url}guide/"' in html
    client.force_login(pupil)
    html = client.get(lesson.url).content.decode()
    assert "Mentions polluted rivers." not in html and "/guide/" not in html
    anonymous = Client().get(lesson.url).content.decode()
    assert "Mentions polluted rivers." not in anonymous


def test_admin_preview_is_closed_to_teachers_and_pupils(curriculum, teacher, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    for user in (None, teacher, pupil):
        response = client_for(user).get(f"/admin/pages/{lesson.pk}/view_draft/")
        assert response.status_code in (302, 403), user
        assert SECRET not in response.content.decode()


def test_editor_preview_has_no_guide_text(client, curriculum, editor):
    lesson = curriculum["lessons"]["t1"][0]
    client.force_login(editor)
    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
