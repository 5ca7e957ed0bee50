"""Packs over the API: ask for a pack (202 while it builds, 200 when ready), read its status,
download it. Student editions are public; teacher editions and class packs are hidden (404)
from anyone who may not have them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from reelearn.classroom.models import Assignment
from reelearn.core.converters import IdConverter, parse_id
from reelearn.packs import services
from reelearn.packs.content import kind_for_page, packable_page
from reelearn.packs.downloads import pack_file_response
from reelearn.packs.models import Pack
from reelearn.packs.permissions import can_view_class_pack, can_view_edition

from .serializers import PackRequestInputSerializer, PackSerializer


class AnyFileRenderer(BaseRenderer):
    """Lets a download answer any Accept header (the body is the stored file itself)."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PackSerializer
    permission_classes = [AllowAny]
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Pack.objects.none()
        packs = Pack.objects.visible_to(self.request.user).order_by("-created_at", "-pk")
        page_id = self.request.query_params.get("page_id")
        if page_id is not None:
            if not (page_id.isascii() and page_id.isdecimal()):
                raise ValidationError({"page_id": [_("A page id is a whole number.")]})
            number = parse_id(page_id)
            packs = packs.filter(page_id=number) if number else packs.none()
        return packs

    @extend_schema(
        parameters=[OpenApiParameter("page_id", int, description="Only the packs of this page.")]
    )
    def list(self, request, *args, **kwargs):
        """Packs you can read, newest first; `?page_id=<id>` for one lesson or module."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        """One pack's status: queued, building, ready (with download_url) or failed (error)."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=PackRequestInputSerializer, responses={200: PackSerializer, 202: PackSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Ask for the pack of what is published now: 200 with it when it is built already,
        202 while it is queued or building (poll GET /packs/<id>/)."""
        data = PackRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pack = _request(request.user, data.validated_data)
        http_status = status.HTTP_200_OK if pack.is_ready else status.HTTP_202_ACCEPTED
        return Response(
            PackSerializer(pack, context=self.get_serializer_context()).data, status=http_status
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            302: OpenApiResponse(description="Redirect to the file in object storage."),
            404: OpenApiResponse(description="No such ready pack that you may read."),
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, AnyFileRenderer])
    def download(self, request, pk=None):
        """The pack's file (PDF, or zip for a module's lesson packs)."""
        pack = get_object_or_404(
            self.get_queryset().select_related("page"), pk=pk, status=Pack.Status.READY
        )
        return pack_file_response(pack)


def _request(user, data: dict) -> Pack:
    retry = True  # an explicit request: a failed pack is tried again
    if data.get("assignment"):
        assignment = (
            Assignment.objects.select_related("classroom", "page")
            .filter(pk=data["assignment"])
            .first()
        )
        if assignment is None or not can_view_class_pack(user, assignment):
            raise Http404
        return services.class_pack_request(
            assignment=assignment, paper=data["paper"], retry_failed=retry
        )
    page = packable_page(data["page"])
    if not can_view_edition(user, data["edition"]):
        raise Http404
    zipped = data["format"] == "zip"
    if zipped and kind_for_page(page) != Pack.Kind.MODULE_TIER:
        raise ValidationError({"format": "Only a module-tier page comes as a zip."})
    return services.page_pack_request(
        page=page, edition=data["edition"], paper=data["paper"], zipped=zipped, retry_failed=retry
    )
