from wagtail.search.backends import get_search_backend


def reindex():
    from django.core.management import call_command

    call_command("update_index", verbosity=0)


def test_search_finds_live_lessons_and_filters_by_tier(client, curriculum):
    reindex()
    html = client.get("/search/?q=rare+earth").content.decode()
    for lesson in curriculum["lessons"]["t1"] + curriculum["lessons"]["t3"]:
        assert lesson.url in html
    t3 = client.get("/search/?q=rare+earth&tier=t3").content.decode()
    assert curriculum["lessons"]["t3"][0].url in t3
    assert curriculum["lessons"]["t1"][0].url not in t3


def test_search_filters_by_strand(client, curriculum):
    reindex()
    assert (
        curriculum["lessons"]["t1"][0].url
        in client.get("/search/?q=rare&strand=science").content.decode()
    )
    assert (
        curriculum["lessons"]["t1"][0].url
        not in client.get("/search/?q=rare&strand=ethics").content.decode()
    )


def test_search_excludes_unpublished_and_private_lessons(client, curriculum):
    from wagtail.models import PageViewRestriction

    hidden = curriculum["lessons"]["t1"][1]
    hidden.unpublish()
    private = curriculum["lessons"]["t3"][1]
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    reindex()
    html = client.get("/search/?q=rare").content.decode()
    assert hidden.url not in html and private.url not in html
    assert curriculum["lessons"]["t1"][0].url in html


def test_search_backend_is_configured(db):
    assert get_search_backend() is not None
