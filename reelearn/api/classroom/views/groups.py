"""A class's groups of pupils."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from reelearn.classroom import services
from reelearn.classroom.models import Group

from .. import serializers as s
from .common import managed_classroom, validated


class GroupListView(APIView):
    @extend_schema(responses=s.GroupOutput(many=True), summary="The class's groups")
    def get(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        groups = Group.objects.filter(classroom=classroom).prefetch_related("pupils")
        return Response(s.GroupOutput(groups, many=True).data)

    @extend_schema(request=s.GroupInput, responses={201: s.GroupOutput}, summary="New group")
    def post(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        data = validated(s.GroupInput, request.data)
        group = services.group_create(
            classroom=classroom, name=data["name"], pupil_ids=data["pupils"]
        )
        return Response(s.GroupOutput(group).data, status=status.HTTP_201_CREATED)


class GroupDetailView(APIView):
    def _group(self, request, class_id, group_id) -> Group:
        return get_object_or_404(Group, classroom=managed_classroom(request, class_id), pk=group_id)

    @extend_schema(responses=s.GroupOutput, summary="One group")
    def get(self, request, class_id, group_id):
        return Response(s.GroupOutput(self._group(request, class_id, group_id)).data)

    @extend_schema(
        request=s.GroupUpdateInput,
        responses=s.GroupOutput,
        summary="Rename a group or set its pupils",
    )
    def patch(self, request, class_id, group_id):
        group = self._group(request, class_id, group_id)
        data = validated(s.GroupUpdateInput, request.data, partial=True)
        services.group_update(group=group, name=data.get("name"), pupil_ids=data.get("pupils"))
        return Response(s.GroupOutput(group).data)

    @extend_schema(request=None, responses={204: None}, summary="Delete a group")
    def delete(self, request, class_id, group_id):
        services.group_delete(group=self._group(request, class_id, group_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
