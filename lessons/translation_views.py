"""Admin views for translators: the translation status report and approving a translation."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from .models import LessonPage, ModulePage, ModuleTierPage
from .permissions import can_approve_translation, can_view_translation_status
from .translation_reviews import is_translation, translation_approve
from .translation_status import ATTACHED, PAGE_FIELDS, translated_languages, translation_rows


def english_modules():
    return ModulePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("code")


class TranslationStatusFilterSet(WagtailFilterSet):
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language"),
        choices=translated_languages,
        empty_label=gettext_lazy("All languages"),
        method="columns_only",
    )
    module = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Module"),
        queryset=lambda request: english_modules(),
        empty_label=gettext_lazy("All modules"),
        method="in_module",
    )

    class Meta:
        model = Page
        fields: list[str] = []

    def columns_only(self, queryset, name, value):
        return queryset  # the language chooses the report's columns, not its rows

    def in_module(self, queryset, name, value):
        return queryset.descendant_of(value, inclusive=True)


class TranslationStatusView(ReportView):
    """Every English module, module-tier and lesson (with its teacher guide and quiz) in tree
    order, and the state of its translation into each language."""

    template_name = "lessons/admin/translation_status.html"
    results_template_name = "lessons/admin/translation_status_results.html"
    page_title = gettext_lazy("Translations")
    header_icon = "site"
    index_url_name = "lessons_translation_status"
    index_results_url_name = "lessons_translation_status_results"
    filterset_class = TranslationStatusFilterSet
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not can_view_translation_status(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.queryset = (
            Page.objects.type(ModulePage, ModuleTierPage, LessonPage)
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .only(*PAGE_FIELDS)
            .order_by("path")
        )
        return super().get_queryset()

    @property
    def languages(self) -> list[str]:
        chosen = ""
        if self.filters is not None and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("language") or ""
        return [code for code, _name in translated_languages() if chosen in ("", code)]

    @property
    def back_url(self) -> str:
        """This page of the report, with its filters, to come back to after an action."""
        params = self.request.GET.copy()
        params.pop("_w_filter_fragment", None)
        url = reverse(self.index_url_name)
        return f"{url}?{params.urlencode()}" if params else url

    def decorate_paginated_queryset(self, object_list):
        return translation_rows(
            object_list, languages=self.languages, user=self.request.user, next_url=self.back_url
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        names = dict(translated_languages())
        context["language_columns"] = [(code, names[code]) for code in self.languages]
        context["back_url"] = self.back_url
        return context


def approvable_model(app_label: str, model_name: str):
    """Pages and the snippets the report lists; nothing else can be approved here."""
    for model in (Page, *(kind.model for kind in ATTACHED)):
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name):
            return model
    raise Http404


@require_POST
def approve_translation(request, app_label: str, model_name: str, pk: int):
    """A reviewer of the translation's language approves it as it now stands."""
    model = approvable_model(app_label, model_name)
    obj = get_object_or_404(model._default_manager.select_related("locale"), pk=pk)
    if not is_translation(obj):
        return HttpResponseBadRequest(_("Only a translation can be approved, not the English."))
    language = obj.locale.language_code
    if not can_approve_translation(request.user, language):
        # A response, not PermissionDenied: the admin turns that into a redirect.
        return HttpResponseForbidden(
            _("Only a reviewer of %(language)s may approve this translation.")
            % {"language": get_language_info(language)["name_translated"]}
        )
    if getattr(obj, "live", True) is False:
        return HttpResponseBadRequest(_("Publish the translation before approving it."))
    translation_approve(obj=obj, user=request.user)
    messages.success(request, _("Approved the translation “%(title)s”.") % {"title": obj})
    return redirect(_next_url(request))


def _next_url(request) -> str:
    next_url = request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("lessons_translation_status")
