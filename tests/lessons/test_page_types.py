import pytest
from wagtail.models import Page

from lessons.models import (
    CurriculumIndexPage,
    HomePage,
    LessonPage,
    ModulePage,
    ModuleTierPage,
)

TREE = [
    (HomePage, CurriculumIndexPage, True),
    (CurriculumIndexPage, ModulePage, True),
    (ModulePage, ModuleTierPage, True),
    (ModuleTierPage, LessonPage, True),
    (HomePage, LessonPage, False),
    (ModulePage, LessonPage, False),
    (CurriculumIndexPage, LessonPage, False),
    (LessonPage, LessonPage, False),
    (ModuleTierPage, ModulePage, False),
]


@pytest.mark.parametrize("parent, child, allowed", TREE)
def test_page_tree_rules(parent, child, allowed):
    assert (
        child in parent.allowed_subpage_models() and parent in child.allowed_parent_page_models()
    ) is allowed


def test_home_and_index_are_singletons(curriculum):
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not CurriculumIndexPage.can_create_at(curriculum["home"])


def test_every_page_type_renders(client, curriculum):
    pages = [
        curriculum["home"],
        curriculum["index"],
        curriculum["module"],
        curriculum["tier_pages"]["t1"],
        curriculum["lessons"]["t1"][0],
    ]
    curriculum["home"].save_revision().publish()
    curriculum["index"].save_revision().publish()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page
        assert page.title.encode() in response.content


def test_lesson_takes_tier_and_strand_from_its_parents(curriculum):
    lesson = curriculum["lessons"]["t3"][0]
    assert lesson.tier == "t3" and lesson.strand == "science"
