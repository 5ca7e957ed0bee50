"""A signed-in pupil's or teacher's lesson page: a few queries whatever the size of the
curriculum or of the pupil's history, no write on a second visit, and the part of the page that
is the same for everyone rendered once and shared, without anyone's teacher notes in it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lessons.models import ContentGuidance, LessonMisconception, LessonPage
from reelearn.classroom.models import AssignmentPupil, LessonProgress
from tests.classroom.factories import ClassroomFactory, make_assignment
from tests.factories import PupilFactory, TeacherFactory, make_curriculum, translate_page

pytestmark = pytest.mark.django_db

# A lesson page for a signed-in reader, once someone has viewed it (the warm path): the
# session and the user; the route, the page and the shared parts are known (lessons.routes,
# lessons.fragments). With the Redis cache (production), the session comes from the cache.
SIGNED_IN = 2
# A pupil's first visit adds the progress row (one upsert) and starts the pupil's assignments
# of the lesson or its module-tier (one conditional UPDATE).
PUPIL_FIRST_VISIT = SIGNED_IN + 2
# The first teacher to open a lesson in a content version reads its content guidance and
# whether it has a teacher guide; later teachers get them from memory.
FIRST_TEACHER = SIGNED_IN + 2


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


def visit(client, url, *, status=200):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status
    return response, ctx.captured_queries


def small_world():
    curriculum = make_curriculum(tiers=("t1",), lessons_per_tier=1)
    pupil, teacher = PupilFactory(), TeacherFactory()
    return curriculum["lessons"]["t1"][0], pupil, teacher


def big_world():
    """Two modules of three tiers of three lessons; a pupil in three classes, with progress
    on ten lessons and assignments of the lesson's module-tier; a teacher of those classes;
    more content guidance and mix-ups on the lesson."""
    curricula = [
        make_curriculum(tiers=("t1", "t2", "t3"), lessons_per_tier=3, code=code)
        for code in ("m1", "m2")
    ]
    lesson = curricula[1]["lessons"]["t2"][1]
    pupil, teacher = PupilFactory(), TeacherFactory()
    for _ in range(3):
        classroom = ClassroomFactory(teacher=teacher, pupils=[pupil])
        make_assignment(classroom, curricula[1]["tier_pages"]["t2"])
    others = [lesson for c in curricula for tier in c["lessons"].values() for lesson in tier]
    LessonProgress.objects.bulk_create(
        [LessonProgress(pupil=pupil, page=other) for other in others if other.pk != lesson.pk][:10]
    )
    for n in range(3):
        ContentGuidance.objects.create(page=lesson, kind="other", note=f"Note {n}.")
        LessonMisconception.objects.create(page=lesson, claim=f"Claim {n}", response="No.")
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk), pupil, teacher


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("world", [small_world, big_world], ids=["small", "big"])
def test_signed_in_lesson_pages_run_the_same_few_queries_whatever_the_size(
    world, django_capture_on_commit_callbacks
):
    lesson, pupil, teacher = world()
    Client().get(lesson.url)  # a visitor has rendered the shared parts
    client = signed_in(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        first, queries = visit(client, lesson.url)
    # session, user, page, the progress upsert, the assignments' start
    assert len(queries) == PUPIL_FIRST_VISIT, [q["sql"] for q in queries]
    assert b"I have finished this lesson" in first.content
    again, queries = visit(client, lesson.url)
    # session, user, page: nothing else, and no write
    assert len(queries) == SIGNED_IN, [q["sql"] for q in queries]
    assert again.content == first.content.replace(*csrf_tokens(first, again))

    client = signed_in(teacher)
    guidance = [g.note for g in ContentGuidance.objects.filter(page=lesson)]
    for expected in (FIRST_TEACHER, SIGNED_IN, SIGNED_IN):
        response, queries = visit(client, lesson.url)
        # session, user (the first time: content guidance, whether a teacher guide exists)
        assert len(queries) == expected, [q["sql"] for q in queries]
        assert writes(queries) == []
        html = response.content.decode()
        assert "For teachers" in html and all(note in html for note in guidance)


def csrf_tokens(*responses) -> list[bytes]:
    """The form tokens of each response (masked afresh on every render)."""
    found = []
    for response in responses:
        html = response.content
        start = html.index(b'name="csrfmiddlewaretoken" value="') + 34
        found.append(html[start : html.index(b'"', start)])
    return found


def test_a_second_visit_writes_nothing(curriculum, pupil, django_capture_on_commit_callbacks):
    lesson = curriculum["lessons"]["t1"][0]
    client = signed_in(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        _response, queries = visit(client, lesson.url)
    assert len(writes(queries)) == 2  # the progress row, the start of its assignments
    opened = LessonProgress.objects.get(pupil=pupil, page=lesson).opened_at
    for _ in range(2):
        _response, queries = visit(client, lesson.url)
        assert writes(queries) == []
    assert LessonProgress.objects.get(pupil=pupil, page=lesson).opened_at == opened


def test_the_first_visit_starts_the_assignment_and_later_ones_leave_it(
    curriculum, pupil, teacher, django_capture_on_commit_callbacks
):
    lesson = curriculum["lessons"]["t1"][0]
    classroom = ClassroomFactory(teacher=teacher, pupils=[pupil])
    make_assignment(classroom, curriculum["tier_pages"]["t1"])
    client = signed_in(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(lesson.url)
    link = AssignmentPupil.objects.get(pupil=pupil)
    assert link.status == AssignmentPupil.Status.IN_PROGRESS
    started = link.started_at
    client.get(lesson.url)
    assert AssignmentPupil.objects.get(pk=link.pk).started_at == started


def test_a_visit_that_did_not_commit_is_recorded_by_the_next(curriculum, pupil):
    """The cache only says "recorded" once the row is committed: the database decides."""
    lesson = curriculum["lessons"]["t1"][0]
    client = signed_in(pupil)
    _response, queries = visit(client, lesson.url)  # its on-commit callback never runs here
    assert len(writes(queries)) == 2
    LessonProgress.objects.filter(pupil=pupil).delete()  # as if it had rolled back
    _response, queries = visit(client, lesson.url)
    assert len(writes(queries)) == 2
    assert LessonProgress.objects.filter(pupil=pupil, page=lesson).exists()


def test_a_pupil_is_served_the_parts_a_visitor_rendered(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    assert Client().get(lesson.url)["X-Cache"] == "miss"
    # Changed behind the cache's back (no signal, no new content version): a page rendered now
    # would show it, the shared parts do not.
    LessonMisconception.objects.filter(page=lesson).update(claim="Changed behind the cache")
    client = signed_in(pupil)
    response, queries = visit(client, lesson.url)
    html = response.content.decode()
    assert "Rare means none exists." in html and "Changed behind the cache" not in html
    assert len(queries) == PUPIL_FIRST_VISIT  # and none to render the parts
    assert "I have finished this lesson" in html  # and the pupil's own part around them


def test_teacher_notes_stay_out_of_the_shared_parts_whoever_renders_first(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    note = "Mentions polluted rivers."  # the lesson's content guidance (tests/factories.py)
    guide_link = f'href="{lesson.url}guide/"'
    teacher = TeacherFactory()
    for first in (teacher, pupil, None):
        cache.clear()
        (signed_in(first) if first else Client()).get(lesson.url)  # renders the parts
        as_teacher = signed_in(teacher).get(lesson.url).content.decode()
        assert "For teachers" in as_teacher and note in as_teacher and guide_link in as_teacher
        for reader in (signed_in(pupil), Client()):
            html = reader.get(lesson.url).content.decode()
            assert lesson.outcome in html
            assert "For teachers" not in html and note not in html and guide_link not in html
            assert "Teacher edition" not in html


def test_an_editor_sees_the_facts_due_for_review_and_no_one_else_does(curriculum, editor):
    lesson = curriculum["lessons"]["t1"][0]
    body = list(lesson.body.raw_data)
    for block in body:
        if block["type"] == "fact":
            block["value"]["reviewed"] = "2019-01-01"
    lesson.body = body
    lesson.save_revision().publish()
    assert "Needs review" in signed_in(editor).get(lesson.url).content.decode()
    assert "Needs review" not in signed_in(TeacherFactory()).get(lesson.url).content.decode()
    assert "Needs review" not in Client().get(lesson.url).content.decode()


def test_signed_in_lesson_pages_are_kept_by_no_cache(curriculum, pupil):
    response = signed_in(pupil).get(curriculum["lessons"]["t1"][0].url)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"] and not response.has_header("ETag")
    assert "X-Cache" not in response


def publish_translation(lesson: LessonPage, language: str) -> LessonPage:
    """`lesson` translated into `language` with its ancestors, all published."""
    translated = translate_page(lesson, language)
    for page in [*translated.get_ancestors().filter(depth__gte=2).specific(), translated]:
        if not page.live:
            page.save_revision().publish()
    return LessonPage.objects.get(pk=translated.pk)


def test_a_translated_lesson_is_as_cheap_for_a_pupil(
    curriculum, pupil, django_capture_on_commit_callbacks
):
    burmese = publish_translation(curriculum["lessons"]["t1"][0], "my")
    url = burmese.url
    assert url.startswith("/my/")
    Client().get(url)
    client = signed_in(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        response, queries = visit(client, url)
    assert response.context["page"].pk == burmese.pk
    # and, once per content version, the English lesson it translates, whose reading it is
    assert len(queries) == PUPIL_FIRST_VISIT + 1
    response, queries = visit(client, url)
    assert len(queries) == SIGNED_IN
    # From the rendering every pupil shares (lessons.pupil_pages): no template context.
    assert '<html lang="my"' in response.content.decode()
    english = client.get(curriculum["lessons"]["t1"][0].url)
    assert '<html lang="en"' in english.content.decode()
    # Reading the translation counted for the English lesson: one row for both readings.
    assert LessonProgress.objects.get(pupil=pupil).page_id == curriculum["lessons"]["t1"][0].pk


def test_a_publish_reaches_signed_in_readers_at_once(curriculum, pupil):
    lesson = curriculum["lessons"]["t1"][0]
    reader, teacher = signed_in(pupil), signed_in(TeacherFactory())
    assert lesson.title in reader.get(lesson.url).content.decode()
    assert "Mentions polluted rivers." in teacher.get(lesson.url).content.decode()
    lesson.title = "A title published a moment ago"
    lesson.content_guidance.all().delete()
    lesson.content_guidance.add(ContentGuidance(kind="other", note="A note published just now."))
    lesson.save_revision().publish()
    assert "A title published a moment ago" in reader.get(lesson.url).content.decode()
    html = teacher.get(lesson.url).content.decode()
    assert "A note published just now." in html and "Mentions polluted rivers." not in html


def test_a_deleted_teacher_guide_leaves_the_teacher_panel(curriculum, teacher):
    from lessons.models import TeacherGuide

    lesson = curriculum["lessons"]["t1"][0]
    client = signed_in(teacher)
    assert f'href="{lesson.url}guide/"' in client.get(lesson.url).content.decode()
    TeacherGuide.objects.filter(page=lesson).delete()
    assert f'href="{lesson.url}guide/"' not in client.get(lesson.url).content.decode()


def test_a_page_made_private_to_editors_is_refused_to_a_pupil_who_read_it(curriculum, pupil):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    lesson = curriculum["lessons"]["t1"][0]
    reader = signed_in(pupil)
    assert reader.get(lesson.url).status_code == 200  # route, page and parts now known
    restriction = PageViewRestriction.objects.create(
        page=lesson.get_parent(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Reviewers only")])
    refused = reader.get(lesson.url)
    assert refused.status_code == 302 and lesson.outcome not in refused.content.decode()
    restriction.delete()
    assert reader.get(lesson.url).status_code == 200


def test_an_emptied_shared_cache_is_not_mistaken_for_the_same_version(curriculum, pupil):
    """Each process keeps pages and parts per content version; when the shared cache is
    emptied (a Redis restart), counting restarts from the clock, not from a version a
    process may still hold."""
    lesson = curriculum["lessons"]["t1"][0]
    reader = signed_in(pupil)
    assert lesson.title in reader.get(lesson.url).content.decode()
    LessonPage.objects.filter(pk=lesson.pk).update(title="Changed while the cache was down")
    cache.clear()
    assert "Changed while the cache was down" in reader.get(lesson.url).content.decode()
