"""What the classroom API views share: scoped look-ups (404, 403), input parsing, pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from reelearn.classroom import selectors
from reelearn.classroom.models import Assignment, Classroom
from reelearn.classroom.permissions import can_manage_classroom, can_own_classroom


def managed_classroom(request, class_id, *, own: bool = False) -> Classroom:
    classroom = selectors.classroom_for(request.user, class_id)
    allowed = can_own_classroom if own else can_manage_classroom
    if not allowed(request.user, classroom):
        raise PermissionDenied
    return classroom


def managed_assignment(request, assignment_id) -> Assignment:
    assignment = (
        Assignment.objects.select_related("page", "classroom")
        .prefetch_related("groups", "pupils")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    classroom = managed_classroom(request, assignment.classroom_id)
    assignment.classroom = classroom
    return assignment


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def paginate(view, request, items, serializer_class, **kwargs):
    paginator = view.pagination_class() if view.pagination_class else None
    page = paginator.paginate_queryset(items, request, view=view) if paginator else None
    if page is not None:
        return paginator.get_paginated_response(serializer_class(page, many=True, **kwargs).data)
    return Response(serializer_class(items, many=True, **kwargs).data)


class PaginatedAPIView(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
