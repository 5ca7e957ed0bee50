from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from reelearn.core.views import page_not_found

from .auth import SignOutEverywhereView, TokenView

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path(
        "v1/auth/sign-out-everywhere/",
        SignOutEverywhereView.as_view(),
        name="sign-out-everywhere",
    ),
    # Quizzes first: a pupil's autosaves are most of the API's traffic, and each one is
    # matched against the patterns before its own (no pattern here matches another's path).
    path("v1/", include("reelearn.api.quizzes.urls")),
    path("v1/", include("reelearn.api.classroom.urls")),
    path("v1/", include("reelearn.api.packs.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ (but /api/v2/, Wagtail's) is a JSON 404 for every method, not
    # Wagtail's page catch-all, which would answer a POST with an HTML CSRF failure.
    re_path(r"^(?!v2/)", csrf_exempt(page_not_found), name="not-found"),
]
