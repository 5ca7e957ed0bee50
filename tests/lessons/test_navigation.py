def test_module_page_has_a_tier_switcher(client, curriculum):
    module = curriculum["module"]
    html = client.get(module.url).content.decode()
    assert 'href="?tier=t1"' in html and 'href="?tier=t3"' in html
    assert "Ages 7–11" in html and "Ages 14–16" in html
    t3 = client.get(module.url + "?tier=t3").content.decode()
    for lesson in curriculum["lessons"]["t3"]:
        assert lesson.url in t3
    for lesson in curriculum["lessons"]["t1"]:
        assert lesson.url not in t3


def test_lesson_lists_siblings_and_same_lesson_at_other_tiers(client, curriculum):
    first_t1, second_t1 = curriculum["lessons"]["t1"]
    html = client.get(first_t1.url).content.decode()
    assert f'href="{second_t1.url}"' in html  # sibling at the same tier
    assert 'rel="next"' in html
    same_at_t3 = curriculum["lessons"]["t3"][0]
    assert f'href="{same_at_t3.url}"' in html  # the same lesson for other ages


def test_curriculum_index_filters_by_tier_and_strand(client, curriculum):
    from tests.factories import make_curriculum

    make_curriculum(tiers=("t4",), code="m7", index=curriculum["index"])
    index_url = curriculum["index"].url
    curriculum["index"].save_revision().publish()
    everything = client.get(index_url).content.decode()
    assert "(m1)" in everything and "(m7)" in everything
    only_t4 = client.get(index_url + "?tier=t4").content.decode()
    assert "(m7)" in only_t4 and "(m1)" not in only_t4
    ethics = client.get(index_url + "?strand=ethics").content.decode()
    assert "(m1)" not in ethics


def test_lesson_shows_tier_level_definitions(client, curriculum):
    term = curriculum["terms"][0]
    young = client.get(curriculum["lessons"]["t1"][0].url).content.decode()
    older = client.get(curriculum["lessons"]["t3"][0].url).content.decode()
    assert term.simple in young and term.full not in young
    assert term.full in older


def test_lesson_ends_with_numbered_references(client, curriculum):
    html = client.get(curriculum["lessons"]["t1"][0].url).content.decode()
    refs = html.split('id="ref-heading"')[1]
    for source in curriculum["sources"]:
        assert f'id="ref-{source.key}"' in refs
    assert "[1]" in html and "[3]" in html


def test_pupil_can_mark_a_lesson_as_done_from_the_lesson(client, curriculum, pupil):
    from reelearn.classroom.models import LessonProgress

    lesson = curriculum["lessons"]["t1"][0]
    client.force_login(pupil)
    html = client.get(lesson.url).content.decode()
    assert f'action="/my-work/lessons/{lesson.pk}/done/"' in html
    response = client.post(f"/my-work/lessons/{lesson.pk}/done/", {"next": lesson.url})
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert LessonProgress.objects.get(pupil=pupil, page_id=lesson.pk).completed_at is not None
