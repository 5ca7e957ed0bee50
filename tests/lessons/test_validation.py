import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from lessons.blocks import DataChartBlock, FactBlock, ImageBlock
from lessons.models import LessonPage
from tests.factories import SourceFactory


def test_fact_without_source_is_refused_on_the_sources_field(db):
    block = FactBlock()
    value = block.to_python(
        {
            "statement": "China mined most REEs.",
            "figure": "270,000",
            "unit": "t",
            "sources": [],
            "reviewed": "2026-11-01",
        }
    )
    with pytest.raises(ValidationError) as info:
        block.clean(value)
    assert "sources" in info.value.block_errors
    assert "at least one source" in str(info.value.block_errors["sources"])


def test_fact_with_a_source_is_accepted(db):
    source = SourceFactory()
    block = FactBlock()
    value = block.to_python(
        {
            "statement": "China mined most REEs.",
            "figure": "270,000",
            "unit": "t",
            "sources": [source.pk],
            "reviewed": "2026-11-01",
        }
    )
    assert block.clean(value)["sources"][0] == source


def test_chart_without_source_is_refused(db):
    block = DataChartBlock()
    value = block.to_python(
        {
            "title": "t",
            "kind": "bar",
            "unit": "kt",
            "label": "Country",
            "summary": "s",
            "rows": [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}],
            "sources": [],
        }
    )
    with pytest.raises(ValidationError) as info:
        block.clean(value)
    assert "sources" in info.value.block_errors


def test_image_without_alt_text_is_refused(db):
    block = ImageBlock()
    value = block.to_python(
        {"image": None, "alt": "", "caption": "", "credit": "REElearn", "licence": "CC BY 4.0"}
    )
    with pytest.raises(ValidationError) as info:
        block.clean(value)
    assert "alt" in info.value.block_errors


def lesson_form(fact_sources: list[int]) -> dict:
    return nested_form_data(
        {
            "title": "Where rare earths hide",
            "slug": "where-rare-earths-hide",
            "outcome": "I can say where rare earths are found.",
            "duration": "45",
            "supervision": "independent",
            "key_points": streamfield([("point", "One"), ("point", "Two"), ("point", "Three")]),
            "misconceptions": inline_formset([]),
            "content_guidance": inline_formset([]),
            "body": streamfield(
                [
                    (
                        "fact",
                        {
                            "statement": "Most rare earths are mined in China.",
                            "figure": "270,000",
                            "unit": "tonnes",
                            "reviewed": "2026-11-01",
                            "sources": {
                                "count": len(fact_sources),
                                **{
                                    str(i): {"value": pk, "deleted": "", "order": i, "id": f"id{i}"}
                                    for i, pk in enumerate(fact_sources)
                                },
                            },
                        },
                    )
                ]
            ),
            "action-publish": "publish",
        }
    )


def test_admin_refuses_to_publish_a_fact_without_a_source(client, editor, curriculum):
    client.force_login(editor)
    parent = curriculum["tier_pages"]["t1"]
    url = f"/admin/pages/add/lessons/lessonpage/{parent.pk}/"
    response = client.post(url, lesson_form([]))
    assert response.status_code == 200
    assert "A fact needs at least one source" in response.content.decode()
    assert not LessonPage.objects.filter(slug="where-rare-earths-hide").exists()

    response = client.post(url, lesson_form([curriculum["sources"][0].pk]))
    assert response.status_code == 302
    assert LessonPage.objects.get(slug="where-rare-earths-hide").live


def test_old_facts_show_needs_review_to_editors_only(client, curriculum, editor, teacher, settings):
    settings.REELEARN_FACT_REVIEW_DAYS = 1  # the factory's facts were reviewed 2026-11-01
    lesson = curriculum["lessons"]["t1"][0]
    client.force_login(editor)
    html = client.get(lesson.url).content.decode()
    assert "Needs review" in html and "Fact number 0 about rare earths." in html
    client.force_login(teacher)
    assert b"Needs review" not in client.get(lesson.url).content
