"""OpenAPI generation: which endpoints are documented, and one correction to drf-spectacular."""

from drf_spectacular.openapi import AutoSchema


def only_api_v1(endpoints):
    """Keep Wagtail's content API (v2) and other non-v1 DRF views out of the OpenAPI schema."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


class ReelearnAutoSchema(AutoSchema):
    """Only GET lists are documented as paginated.

    drf-spectacular documents any list response of a view with a paginator as a paginated
    page, including a POST that answers with a plain list (adding pupils returns their one-time
    credentials). DRF paginates only what a view passes through its paginator, which our views
    do for GET alone.
    """

    def _get_paginator(self):
        if self.method != "GET":
            return None
        return super()._get_paginator()
