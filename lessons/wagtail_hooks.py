import django_filters
from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import translation_views
from .models import LessonPage, Printable, Source, Strand, TeacherGuide, Term, Tier
from .permissions import can_view_translation_status
from .translation_reviews import APPROVED_ACTION


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


# --- Translations -----------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_translation_urls():
    report = translation_views.TranslationStatusView
    return [
        path("reports/translation-status/", report.as_view(), name="lessons_translation_status"),
        path(
            "reports/translation-status/results/",
            report.as_view(results_only=True),
            name="lessons_translation_status_results",
        ),
        path(
            "translations/approve/<slug:app_label>/<slug:model_name>/<int:pk>/",
            translation_views.approve_translation,
            name="lessons_translation_approve",
        ),
    ]


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_translation_status(request.user)


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translations"),
        reverse("lessons_translation_status"),
        name="translation-status",
        icon_name="site",
        order=8900,
    )


@hooks.register("construct_reports_menu")
def rename_translation_progress(request, menu_items):
    """wagtail-localize's own report (each translation's share of strings translated) is
    "Translations" too: it becomes "Translation progress" beside ours."""
    theirs = reverse("wagtail_localize:translations_report")
    for index, item in enumerate(menu_items):
        if item.url == theirs:
            menu_items[index] = MenuItem(
                _("Translation progress"),
                theirs,
                name="translation-progress",
                icon_name=item.icon_name,
                order=item.order,
            )


@hooks.register("register_log_actions")
def register_translation_log_actions(actions):
    actions.register_action(APPROVED_ACTION, _("Approve translation"), _("Translation approved"))
