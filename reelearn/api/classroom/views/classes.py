"""A class: list and create, read and change, archive, join code, co-teachers, export, erase."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from reelearn.classroom import selectors, services
from reelearn.classroom.models import Classroom
from reelearn.classroom.permissions import can_create_classroom, can_manage_classroom

from .. import serializers as s
from .common import PaginatedAPIView, managed_classroom, paginate, validated


class ClassListView(PaginatedAPIView):
    @extend_schema(responses=s.ClassroomOutput(many=True), summary="Classes I teach or am in")
    def get(self, request):
        user = request.user
        if user.is_verified_teacher:
            classes = selectors.classes_for_teacher(teacher=user)
        else:
            classes = Classroom.objects.visible_to(user).order_by("name", "pk")
        return paginate(self, request, classes, s.ClassroomOutput)

    @extend_schema(
        request=s.ClassroomCreateInput,
        responses={201: s.ClassroomOutput},
        summary="Create a class (teachers)",
    )
    def post(self, request):
        if not can_create_classroom(request.user):
            raise PermissionDenied
        data = validated(s.ClassroomCreateInput, request.data)
        classroom = services.classroom_create(teacher=request.user, **data)
        classroom = selectors.classes_for_teacher(teacher=request.user).get(pk=classroom.pk)
        return Response(s.ClassroomOutput(classroom).data, status=status.HTTP_201_CREATED)


def _class_body(request, class_id) -> dict:
    classroom = selectors.classroom_for(request.user, class_id)
    if can_manage_classroom(request.user, classroom):
        classroom = selectors.classes_for_teacher(teacher=request.user).get(pk=classroom.pk)
    return s.ClassroomOutput(classroom).data


class ClassDetailView(APIView):
    @extend_schema(responses=s.ClassroomOutput, summary="One class")
    def get(self, request, class_id):
        return Response(_class_body(request, class_id))

    @extend_schema(
        request=s.ClassroomUpdateInput,
        responses=s.ClassroomOutput,
        summary="Rename a class or change its settings",
    )
    def patch(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        data = validated(s.ClassroomUpdateInput, request.data, partial=True)
        current = {
            f: getattr(classroom, f)
            for f in ("name", "year_group", "default_tier", "join_enabled", "join_needs_approval")
        }
        services.classroom_update(classroom=classroom, **{**current, **data})
        return Response(_class_body(request, class_id))


class ClassArchiveView(APIView):
    @extend_schema(
        request=s.ArchiveInput, responses=s.ClassroomOutput, summary="Archive (or restore) a class"
    )
    def post(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        if validated(s.ArchiveInput, request.data)["archived"]:
            services.classroom_archive(classroom=classroom)
        else:
            services.classroom_unarchive(classroom=classroom)
        return Response(_class_body(request, class_id))


class ClassJoinCodeView(APIView):
    @extend_schema(
        request=s.JoinCodeInput,
        responses=s.ClassroomOutput,
        summary="Make a new join code, or switch joining off",
    )
    def post(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        if validated(s.JoinCodeInput, request.data)["enabled"]:
            services.classroom_join_code_regenerate(classroom=classroom)
        else:
            services.classroom_join_disable(classroom=classroom)
        return Response(_class_body(request, class_id))


class ClassTeachersView(APIView):
    @extend_schema(responses=s.TeacherOutput(many=True), summary="The class's teachers")
    def get(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        links = classroom.class_teachers.select_related("teacher").order_by("-role", "added_at")
        return Response(s.TeacherOutput(links, many=True).data)

    @extend_schema(
        request=s.CoTeacherInput,
        responses={201: s.TeacherOutput},
        summary="Add a co-teacher by username or email (owner only)",
    )
    def post(self, request, class_id):
        classroom = managed_classroom(request, class_id, own=True)
        data = validated(s.CoTeacherInput, request.data)
        link = services.classroom_teacher_add(
            classroom=classroom, username_or_email=data["teacher"]
        )
        return Response(s.TeacherOutput(link).data, status=status.HTTP_201_CREATED)


class ClassExportView(APIView):
    @extend_schema(
        responses={(200, "application/zip"): bytes},
        summary="Download all of a class's data (zip of JSON and CSV)",
    )
    def get(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        response = HttpResponse(
            services.classroom_export(classroom=classroom), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}.zip"'
        response["Cache-Control"] = "no-store"
        return response


class ClassEraseView(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        summary="Erase a class and its pupils' accounts (owner only)",
    )
    def delete(self, request, class_id):
        classroom = managed_classroom(request, class_id, own=True)
        services.classroom_erase(classroom=classroom)
        return Response(status=status.HTTP_204_NO_CONTENT)
