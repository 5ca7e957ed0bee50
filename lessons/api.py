"""Wagtail content API v2: live, public pages and images, with public fields only.

Teacher guides are a separate model with no API endpoint, so they cannot appear here.
"""

from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from reelearn.core.text import text_problem


class ValidTextMixin:
    """A NUL or a lone surrogate in a query parameter (`?search=`) is a clear 400, before the
    database sees it."""

    def check_query_parameters(self, queryset):
        for key, value in self.request.GET.items():
            problem = text_problem(value)
            if problem:
                raise BadRequestError(f"{key}: {problem}")
        return super().check_query_parameters(queryset)


class PublicPagesAPIViewSet(ValidTextMixin, PagesAPIViewSet):
    """Anyone may read published, public pages; the project default requires sign-in."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]


class PublicImagesAPIViewSet(ValidTextMixin, ImagesAPIViewSet):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
