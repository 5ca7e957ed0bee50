"""Which language a request is answered in, and the switcher's one view.

The rule, in order:
- content (Wagtail pages and the lessons app's glossary, search and situation notes) is in the
  language its URL says: `/my/curriculum/...` is Burmese, an unprefixed URL is English. So a
  lesson's URL names one page in one language, and anonymous pages cache by URL alone;
- everything else (a pupil's work, quizzes, classes, sign-in) is in the signed-in user's
  language, stored on their account; a visitor's comes from the language cookie the switcher
  sets, then from the browser's Accept-Language.

The switcher is plain links to `/language/<code>/?next=<path>`: no form and no CSRF token, so a
cached anonymous page stays the same for everyone. Following one remembers the choice (cookie,
and the account when signed in) and goes to the same page in that language when it has one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

CONTENT_APPS = {"lessons"}
CONTENT_URL_NAMES = {"wagtail_serve"}
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def is_content(match) -> bool:
    """Whether a resolved URL is content, whose language the URL itself carries."""
    return match is not None and (
        match.url_name in CONTENT_URL_NAMES or bool(CONTENT_APPS & set(match.app_names))
    )


def language_dir(code: str) -> str:
    return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, plus the account's language on pages that are not content.

    Its process_view runs after every middleware's process_request, so `request.user` is
    known; the user is loaded only for pages that are not content (signed-in pages load it
    anyway).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_content(request.resolver_match):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in LANGUAGE_CODES:
            language = user.language
        else:  # the switcher's cookie, else the browser's Accept-Language
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return None

    def process_response(self, request, response):
        content = is_content(getattr(request, "resolver_match", None))
        had_vary = response.has_header("Vary")
        response = super().process_response(request, response)
        if content:
            # An unprefixed content URL is English whatever the browser asks for: varying on
            # Accept-Language would only split a CDN's cache of one page into many.
            values = [
                value.strip()
                for value in response.get("Vary", "").split(",")
                if value.strip() and value.strip().lower() != "accept-language"
            ]
            if values:
                response["Vary"] = ", ".join(values)
            elif not had_vary and "Vary" in response:
                del response["Vary"]
        return response


def translated_path(path: str, language: str) -> str:
    """`path` as a reader of `language` should see it: a content page's live translation
    (or the page itself when it has none), other paths unchanged."""
    from wagtail.models import Locale, Site

    try:
        match = resolve(path)
    except Resolver404:
        return path
    if match.url_name in CONTENT_URL_NAMES:
        page_path = match.args[0] if match.args else match.kwargs.get("path", "")
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return path
        source_language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        with translation.override(source_language):
            root = site.root_page.localized
        page = _find_page(root, page_path)
        if page is None:
            return path
        locale = Locale.objects.filter(language_code=language).first()
        target = page.get_translation_or_none(locale) if locale and page.locale != locale else page
        if target is None or not target.live:
            return path
        return target.get_url() or path
    if is_content(match):
        return _with_prefix(_without_prefix(path), language)
    return path


def _find_page(root, page_path: str):
    from wagtail.models import Page

    url_path = root.url_path + page_path.strip("/") + ("/" if page_path.strip("/") else "")
    return Page.objects.filter(url_path=url_path, path__startswith=root.path).first()


def _without_prefix(path: str) -> str:
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


def _with_prefix(path: str, language: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@never_cache
def switch_language(request, code: str):
    """A plain link's target: remember `code` and go back to `next` in that language."""
    if code not in LANGUAGE_CODES:
        from django.http import Http404

        raise Http404
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    parts = urlsplit(next_url)
    target = translated_path(parts.path or "/", code)
    if parts.query:
        target += "?" + parts.query
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    patch_vary_headers(response, ("Cookie",))
    return response
