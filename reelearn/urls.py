from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from lessons.api import api_router
from reelearn.core import languages
from reelearn.core import views as core_views

# One sign-in for every door: /django-admin/ and the Wagtail admin send people to the site's
# sign-in (django-allauth, with its second factor) instead of their own password forms.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    path("admin/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("reelearn.accounts.urls")),
    path("schools/", include("reelearn.schools.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v2/", api_router.urls),
    path("api/", include("reelearn.api.urls")),
    path("", include("reelearn.classroom.urls")),
    path("", include("reelearn.quizzes.urls")),
    path("packs/", include("reelearn.packs.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("language/<str:code>/", languages.switch_language, name="switch-language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Content carries its language in the URL (/my/curriculum/...); English keeps the unprefixed
# URLs it always had, so old links, login cards and QR codes keep working.
urlpatterns += i18n_patterns(
    path("", include("lessons.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler400 = "reelearn.core.views.bad_request"
handler404 = "reelearn.core.views.page_not_found"
handler500 = "reelearn.core.views.server_error"
