import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LessonPage, Printable, Source, Strand, TeacherGuide, Term, Tier


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = _("Sources")
    list_display = ["key", "title", "author", "year", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "author"]


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "tag"
    menu_label = _("Glossary")
    list_display = ["term", "slug"]
    search_fields = ["term", "simple", "full"]


class TeacherGuideViewSet(SnippetViewSet):
    model = TeacherGuide
    icon = "user"
    menu_label = _("Teacher guides")
    list_display = ["__str__", "updated_at"]


class PrintableViewSet(SnippetViewSet):
    model = Printable
    icon = "doc-full"
    menu_label = _("Printable sheets")
    list_display = ["title", "kind", "page"]


class CurriculumSnippets(SnippetViewSetGroup):
    menu_label = _("Curriculum")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (SourceViewSet, TermViewSet, TeacherGuideViewSet, PrintableViewSet)


register_snippet(CurriculumSnippets)


class LessonFilterSet(WagtailFilterSet):
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("Tier"))
    strand = django_filters.ChoiceFilter(choices=Strand.choices, label=_("Strand"))

    class Meta:
        model = LessonPage
        fields = ["tier", "strand"]


class LessonListingViewSet(PageListingViewSet):
    model = LessonPage
    icon = "doc-full-inverse"
    menu_label = _("Lessons")
    add_to_admin_menu = True
    menu_order = 150
    filterset_class = LessonFilterSet


lesson_listing = LessonListingViewSet("lesson_pages")


@hooks.register("register_admin_viewset")
def register_lesson_listing():
    return lesson_listing


@hooks.register("before_serve_page", order=-1)
def keep_private_pages_out_of_the_cache(page, request, serve_args, serve_kwargs):
    """Runs before Wagtail's own check of view restrictions: whatever it answers for a page
    with a restriction (a sign-in redirect, a password form), the anonymous page cache
    (lessons.middleware) keeps none of it. Only anonymous requests pay for the query: the
    others are never cached."""
    if (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and page.get_view_restrictions().exists()
    ):
        request._dont_cache_page = True
