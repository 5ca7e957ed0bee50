"""Editors' side: listings filter by tier and strand, choosers, previews, moderation."""

from wagtail.models import Workflow


def test_lesson_listing_filters_by_tier_and_strand(client, editor, curriculum):
    client.force_login(editor)
    t1 = curriculum["lessons"]["t1"][0]
    t3 = curriculum["lessons"]["t3"][0]
    html = client.get("/admin/lesson_pages/?tier=t1").content.decode()
    assert f"/admin/pages/{t1.pk}/edit/" in html and f"/admin/pages/{t3.pk}/edit/" not in html
    html = client.get("/admin/lesson_pages/?strand=ethics").content.decode()
    assert f"/admin/pages/{t1.pk}/edit/" not in html


def test_editor_can_preview_a_lesson(client, editor, curriculum):
    client.force_login(editor)
    lesson = curriculum["lessons"]["t3"][0]
    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert b"Fact number 0 about rare earths." in response.content


def test_snippet_admin_lists_sources_terms_and_guides(client, editor, curriculum):
    client.force_login(editor)
    for url in (
        "/admin/snippets/lessons/source/",
        "/admin/snippets/lessons/term/",
        "/admin/snippets/lessons/teacherguide/",
    ):
        assert client.get(url).status_code == 200, url


def test_moderation_workflow_is_on(db):
    workflow = Workflow.objects.filter(active=True).first()
    assert workflow is not None and workflow.tasks.exists()


def test_teachers_and_pupils_cannot_enter_the_admin(client, teacher, pupil, curriculum):
    for user in (teacher, pupil):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code in (302, 403)


def test_editors_group_can_manage_curriculum_snippets(client, curriculum):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    editor = UserFactory(username="groupeditor", role="editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for url in (
        "/admin/snippets/lessons/source/",
        "/admin/snippets/lessons/term/",
        "/admin/snippets/lessons/teacherguide/",
    ):
        assert client.get(url).status_code == 200, url
