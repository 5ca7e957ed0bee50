def test_lesson_api_fields(client, curriculum):
    lesson = curriculum["lessons"]["t1"][0]
    data = client.get(f"/api/v2/pages/{lesson.pk}/").json()
    for field in (
        "title",
        "tier",
        "strand",
        "outcome",
        "key_points",
        "keywords_api",
        "body",
        "references",
        "duration",
    ):
        assert field in data, field
    assert data["tier"] == "t1" and data["strand"] == "science"
    assert len(data["references"]) == 3 and data["references"][0]["number"] == 1
    assert {k["slug"] for k in data["keywords_api"]} == {t.slug for t in curriculum["terms"]}
    banned = {"teacher_guide", "guide", "answers", "content_guidance", "misconceptions_teacher"}
    assert not banned & set(data)


def test_api_lists_only_live_public_pages(client, curriculum):
    draft = curriculum["lessons"]["t1"][1]
    draft.unpublish()
    listing = client.get("/api/v2/pages/?type=lessons.LessonPage&fields=tier").json()
    ids = {item["id"] for item in listing["items"]}
    assert draft.pk not in ids and curriculum["lessons"]["t1"][0].pk in ids
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_images_endpoint_is_public(client, db):
    assert client.get("/api/v2/images/").status_code == 200
