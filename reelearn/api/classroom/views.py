"""Classroom API: the same services and selectors as the HTML pages.

Reads are scoped (a class you cannot see is a 404); commands are checked (403). Each command
parses its own input serializer, calls one service and answers with an output serializer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from wagtail.models import Page

from lessons.models import LessonPage
from reelearn.classroom import selectors, services
from reelearn.classroom.adapters import quiz_item_view
from reelearn.classroom.models import (
    Assignment,
    AssignmentPupil,
    Classroom,
    Group,
    Membership,
)
from reelearn.classroom.permissions import (
    can_create_classroom,
    can_manage_classroom,
    can_manage_pupil_card,
    can_own_classroom,
)
from reelearn.core import throttle

from ..exceptions import error_response
from ..permissions import IsPupil
from . import serializers as s


def _classroom(request, class_id, *, own: bool = False) -> Classroom:
    classroom = selectors.classroom_for(request.user, class_id)
    allowed = can_own_classroom if own else can_manage_classroom
    if not allowed(request.user, classroom):
        raise PermissionDenied
    return classroom


def _assignment(request, assignment_id) -> Assignment:
    assignment = (Assignment.objects.select_related("page", "classroom")
                  .prefetch_related("groups", "pupils").filter(pk=assignment_id).first())
    if assignment is None:
        raise Http404
    classroom = _classroom(request, assignment.classroom_id)
    assignment.classroom = classroom
    return assignment


def _valid(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _paginate(view, request, items, serializer_class, **kwargs):
    paginator = view.pagination_class() if view.pagination_class else None
    page = paginator.paginate_queryset(items, request, view=view) if paginator else None
    if page is not None:
        return paginator.get_paginated_response(serializer_class(page, many=True, **kwargs).data)
    return Response(serializer_class(items, many=True, **kwargs).data)


class PaginatedAPIView(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS


# --- Classes ------------------------------------------------------------------------------------


class ClassListView(PaginatedAPIView):
    @extend_schema(responses=s.ClassroomOutput(many=True), summary="Classes I teach or am in")
    def get(self, request):
        user = request.user
        if user.is_teacher:
            classes = selectors.classes_for_teacher(teacher=user)
        else:
            classes = Classroom.objects.visible_to(user).order_by("name", "pk")
        return _paginate(self, request, classes, s.ClassroomOutput)

    @extend_schema(request=s.ClassroomCreateInput, responses={201: s.ClassroomOutput},
                   summary="Create a class (teachers)")
    def post(self, request):
        if not can_create_classroom(request.user):
            raise PermissionDenied
        data = _valid(s.ClassroomCreateInput, request.data)
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

    @extend_schema(request=s.ClassroomUpdateInput, responses=s.ClassroomOutput,
                   summary="Rename a class or change its settings")
    def patch(self, request, class_id):
        classroom = _classroom(request, class_id)
        data = _valid(s.ClassroomUpdateInput, request.data, partial=True)
        current = {f: getattr(classroom, f) for f in ("name", "year_group", "default_tier",
                                                      "join_enabled", "join_needs_approval")}
        services.classroom_update(classroom=classroom, **{**current, **data})
        return Response(_class_body(request, class_id))


class ClassArchiveView(APIView):
    @extend_schema(request=s.ArchiveInput, responses=s.ClassroomOutput,
                   summary="Archive (or restore) a class")
    def post(self, request, class_id):
        classroom = _classroom(request, class_id)
        if _valid(s.ArchiveInput, request.data)["archived"]:
            services.classroom_archive(classroom=classroom)
        else:
            services.classroom_unarchive(classroom=classroom)
        return Response(_class_body(request, class_id))


class ClassJoinCodeView(APIView):
    @extend_schema(request=s.JoinCodeInput, responses=s.ClassroomOutput,
                   summary="Make a new join code, or switch joining off")
    def post(self, request, class_id):
        classroom = _classroom(request, class_id)
        if _valid(s.JoinCodeInput, request.data)["enabled"]:
            services.classroom_join_code_regenerate(classroom=classroom)
        else:
            services.classroom_join_disable(classroom=classroom)
        return Response(_class_body(request, class_id))


class ClassTeachersView(APIView):
    @extend_schema(responses=s.TeacherOutput(many=True), summary="The class's teachers")
    def get(self, request, class_id):
        classroom = _classroom(request, class_id)
        links = classroom.class_teachers.select_related("teacher").order_by("-role", "added_at")
        return Response(s.TeacherOutput(links, many=True).data)

    @extend_schema(request=s.CoTeacherInput, responses={201: s.TeacherOutput},
                   summary="Add a co-teacher by username or email (owner only)")
    def post(self, request, class_id):
        classroom = _classroom(request, class_id, own=True)
        data = _valid(s.CoTeacherInput, request.data)
        link = services.classroom_teacher_add(classroom=classroom,
                                              username_or_email=data["teacher"])
        return Response(s.TeacherOutput(link).data, status=status.HTTP_201_CREATED)


class ClassExportView(APIView):
    @extend_schema(responses={(200, "application/zip"): bytes},
                   summary="Download all of a class's data (zip of JSON and CSV)")
    def get(self, request, class_id):
        classroom = _classroom(request, class_id)
        response = HttpResponse(services.classroom_export(classroom=classroom),
                                content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}.zip"'
        response["Cache-Control"] = "no-store"
        return response


class ClassEraseView(APIView):
    @extend_schema(request=None, responses={204: None},
                   summary="Erase a class and its pupils' accounts (owner only)")
    def delete(self, request, class_id):
        classroom = _classroom(request, class_id, own=True)
        services.classroom_erase(classroom=classroom)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Pupils -------------------------------------------------------------------------------------


class PupilListView(PaginatedAPIView):
    @extend_schema(responses=s.PupilOutput(many=True), summary="The class's pupils")
    def get(self, request, class_id):
        classroom = _classroom(request, class_id)
        members = (Membership.objects.filter(classroom=classroom).select_related("pupil")
                   .order_by("pupil__display_name", "pk"))
        return _paginate(self, request, members, s.PupilOutput)

    @extend_schema(request=s.BulkPupilsInput, responses={201: s.CredentialOutput(many=True)},
                   summary="Add pupils by name; answers each one's username and password once")
    def post(self, request, class_id):
        classroom = _classroom(request, class_id)
        data = _valid(s.BulkPupilsInput, request.data)
        credentials = services.pupils_create(classroom=classroom, names=data["names"])
        return Response(s.CredentialOutput(credentials, many=True).data,
                        status=status.HTTP_201_CREATED)


def _member(classroom, pupil_id, *, status: str | None = Membership.Status.ACTIVE
            ) -> Membership:
    """An active pupil by default: a pending one is only a name to approve or refuse."""
    membership = selectors.pupil_in_class(classroom=classroom, pupil_id=pupil_id, status=status)
    if membership is None:
        raise Http404
    return membership


class PupilDetailView(APIView):
    @extend_schema(responses=s.PupilOutput, summary="One pupil of the class")
    def get(self, request, class_id, pupil_id):
        membership = _member(_classroom(request, class_id), pupil_id, status=None)
        return Response(s.PupilOutput(membership).data)

    @extend_schema(request=None, responses={204: None},
                   summary="Erase a pupil (their account, unless they are in another class)")
    def delete(self, request, class_id, pupil_id):
        classroom = _classroom(request, class_id)
        services.pupil_erase(classroom=classroom,
                             pupil=_member(classroom, pupil_id, status=None).pupil)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PupilPasswordResetView(APIView):
    @extend_schema(request=None, responses=s.CredentialOutput,
                   summary="A new password (and login card) for a pupil")
    def post(self, request, class_id, pupil_id):
        classroom = _classroom(request, class_id)
        membership = _member(classroom, pupil_id)
        if not can_manage_pupil_card(request.user, classroom, membership):
            raise PermissionDenied
        return Response(s.CredentialOutput(
            services.pupil_password_reset(pupil=membership.pupil)).data)


class PupilApproveView(APIView):
    @extend_schema(request=None, responses=s.PupilOutput,
                   summary="Let in a pupil who joined with the code")
    def post(self, request, class_id, pupil_id):
        membership = _member(_classroom(request, class_id), pupil_id,
                             status=None)  # approving twice changes nothing
        services.membership_approve(membership=membership)
        return Response(s.PupilOutput(membership).data)


class JoinView(APIView):
    """Join a class with its code: a new pupil account (or, signed in as a pupil, a place)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "join"

    @extend_schema(request=s.JoinInput, responses={201: s.JoinOutput},
                   summary="Join a class with a code and a name")
    def post(self, request):
        user = request.user
        if user.is_authenticated and not user.is_pupil:
            raise PermissionDenied
        data = _valid(s.JoinInput, request.data)
        try:
            credential, membership = services.classroom_join(
                code=data["code"], name=data["name"], address=throttle.client_address(request),
                pupil=user if user.is_authenticated else None)
        except services.JoinLocked as locked:
            return error_response(
                "locked", f"Too many wrong class codes. Try again in {locked.minutes} minutes.",
                status.HTTP_429_TOO_MANY_REQUESTS)
        body = {"class": membership.classroom.name, "status": membership.status}
        if credential is not None:
            body.update(s.CredentialOutput(credential).data)
        return Response(body, status=status.HTTP_201_CREATED)


# --- Groups -------------------------------------------------------------------------------------


class GroupListView(APIView):
    @extend_schema(responses=s.GroupOutput(many=True), summary="The class's groups")
    def get(self, request, class_id):
        classroom = _classroom(request, class_id)
        groups = Group.objects.filter(classroom=classroom).prefetch_related("pupils")
        return Response(s.GroupOutput(groups, many=True).data)

    @extend_schema(request=s.GroupInput, responses={201: s.GroupOutput}, summary="New group")
    def post(self, request, class_id):
        classroom = _classroom(request, class_id)
        data = _valid(s.GroupInput, request.data)
        group = services.group_create(classroom=classroom, name=data["name"],
                                      pupil_ids=data["pupils"])
        return Response(s.GroupOutput(group).data, status=status.HTTP_201_CREATED)


class GroupDetailView(APIView):
    def _group(self, request, class_id, group_id) -> Group:
        return get_object_or_404(Group, classroom=_classroom(request, class_id), pk=group_id)

    @extend_schema(responses=s.GroupOutput, summary="One group")
    def get(self, request, class_id, group_id):
        return Response(s.GroupOutput(self._group(request, class_id, group_id)).data)

    @extend_schema(request=s.GroupUpdateInput, responses=s.GroupOutput,
                   summary="Rename a group or set its pupils")
    def patch(self, request, class_id, group_id):
        group = self._group(request, class_id, group_id)
        data = _valid(s.GroupUpdateInput, request.data, partial=True)
        services.group_update(group=group, name=data.get("name"),
                              pupil_ids=data.get("pupils"))
        return Response(s.GroupOutput(group).data)

    @extend_schema(request=None, responses={204: None}, summary="Delete a group")
    def delete(self, request, class_id, group_id):
        services.group_delete(group=self._group(request, class_id, group_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Assignments --------------------------------------------------------------------------------


class AssignmentListView(PaginatedAPIView):
    @extend_schema(responses=s.AssignmentOutput(many=True), summary="The class's assignments")
    def get(self, request, class_id):
        classroom = _classroom(request, class_id)
        assignments = (Assignment.objects.filter(classroom=classroom).select_related("page")
                       .prefetch_related("groups", "pupils").order_by("-created_at", "-pk"))
        return _paginate(self, request, assignments, s.AssignmentOutput)

    @extend_schema(request=s.AssignmentCreateInput, responses={201: s.AssignmentOutput},
                   summary="A draft assignment (see its content guidance, then assign it)")
    def post(self, request, class_id):
        classroom = _classroom(request, class_id)
        data = _valid(s.AssignmentCreateInput, request.data)
        assignment = services.assignment_create(
            classroom=classroom, created_by=request.user, page=data["page"], tier=data["tier"],
            title=data["title"], instructions=data["instructions"], audience=data["audience"],
            group_ids=data["groups"], pupil_ids=data["pupils"], open_at=data["open_at"],
            due_at=data["due_at"], quiz_settings=data["quiz_settings"])
        return Response(AssignmentDetailView.body(assignment), status=status.HTTP_201_CREATED)


class AssignmentDetailView(APIView):
    @staticmethod
    def body(assignment: Assignment) -> dict:
        assignment = (Assignment.objects.select_related("page").prefetch_related(
            "groups", "pupils").get(pk=assignment.pk))
        data = dict(s.AssignmentOutput(assignment).data)
        if assignment.status == Assignment.Status.DRAFT:
            data["content_guidance"] = s.GuidanceOutput(
                selectors.content_guidance(page=assignment.page), many=True).data
        return data

    @extend_schema(responses=s.AssignmentOutput, summary="One assignment (drafts: with guidance)")
    def get(self, request, assignment_id):
        return Response(self.body(_assignment(request, assignment_id)))

    @extend_schema(request=s.AssignmentUpdateInput, responses=s.AssignmentOutput,
                   summary="Change an assignment (who it is for: drafts only)")
    def patch(self, request, assignment_id):
        assignment = _assignment(request, assignment_id)
        data = _valid(s.AssignmentUpdateInput, request.data, partial=True)
        kwargs = {k: data[k] for k in ("title", "instructions", "open_at", "audience")
                  if k in data}
        if "due_at" in data:
            kwargs["due_at"] = data["due_at"]
        if "groups" in data:
            kwargs["group_ids"] = data["groups"]
        if "pupils" in data:
            kwargs["pupil_ids"] = data["pupils"]
        services.assignment_update(assignment=assignment, **kwargs)
        return Response(self.body(assignment))

    @extend_schema(request=None, responses={204: None}, summary="Delete a draft")
    def delete(self, request, assignment_id):
        services.assignment_delete(assignment=_assignment(request, assignment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentAssignView(APIView):
    @extend_schema(request=None, responses=s.AssignmentOutput,
                   summary="Assign a draft: one copy per pupil in its audience")
    def post(self, request, assignment_id):
        assignment = _assignment(request, assignment_id)
        services.assignment_assign(assignment=assignment)
        return Response(AssignmentDetailView.body(assignment))


class AssignmentPupilsView(APIView):
    @extend_schema(responses=s.LinkOutput(many=True), summary="Each pupil's status")
    def get(self, request, assignment_id):
        assignment = _assignment(request, assignment_id)
        return Response(s.LinkOutput(selectors.assignment_report(assignment=assignment),
                                     many=True).data)


def _link(request, assignment_id, pupil_id) -> AssignmentPupil:
    assignment = _assignment(request, assignment_id)
    link = get_object_or_404(AssignmentPupil.objects.select_related("pupil"),
                             assignment=assignment, pupil_id=pupil_id)
    link.assignment = assignment
    return link


def _link_body(link: AssignmentPupil) -> dict:
    due = link.due_at_override or link.assignment.due_at
    return s.LinkOutput({"pupil": link.pupil, "link": link, "due_at": due,
                         "status": selectors.link_status(link, due, timezone.now())}).data


class AssignmentPupilView(APIView):
    @extend_schema(request=s.AdjustInput, responses=s.LinkOutput,
                   summary="Extend the due date, or give extra quiz time or attempts")
    def patch(self, request, assignment_id, pupil_id):
        link = _link(request, assignment_id, pupil_id)
        data = _valid(s.AdjustInput, request.data, partial=True)
        kwargs = dict(data)
        services.assignment_pupil_adjust(link=link, **kwargs)
        return Response(_link_body(link))


class AssignmentPupilReturnView(APIView):
    @extend_schema(request=None, responses=s.LinkOutput, summary="Return turned-in work")
    def post(self, request, assignment_id, pupil_id):
        link = _link(request, assignment_id, pupil_id)
        if not services.assignment_pupil_return(link=link):
            return error_response("not_turned_in", "Only turned-in work can be returned.",
                                  status.HTTP_409_CONFLICT)
        return Response(_link_body(link))


class ProgressView(APIView):
    @extend_schema(responses=s.ProgressOutput, summary="Progress grid: pupils × assignments")
    def get(self, request, class_id):
        classroom = _classroom(request, class_id)
        board = selectors.class_dashboard(classroom=classroom)
        return Response(s.ProgressOutput({
            "assignments": [{"id": a.pk, "title": a.title,
                             "due_at": a.due_at.isoformat() if a.due_at else None}
                            for a in board["assigned"]],
            "pupils": [{"pupil": row["pupil"].pk, "display_name": row["pupil"].display_name,
                        "cells": [{"assignment": c["assignment"].pk, "status": c["status"]}
                                  for c in row["cells"]]} for row in board["grid"]],
        }).data)


# --- A pupil's own work -------------------------------------------------------------------------


def _with_quiz_views(items):
    for item in items:
        item.quiz_views = [quiz_item_view(q) for q in item.quizzes]
    return items


class MyAssignmentListView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]

    @extend_schema(responses=s.MyAssignmentOutput(many=True),
                   summary="My open assignments (earliest due first), with lesson progress")
    def get(self, request):
        home = selectors.pupil_home(pupil=request.user)
        items = _with_quiz_views(home["todo"] + home["done"])
        return Response(s.MyAssignmentOutput(items, many=True).data)


class MyAssignmentDetailView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]

    @extend_schema(responses=s.MyAssignmentOutput, summary="One of my assignments")
    def get(self, request, link_id):
        item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
        if item is None:
            raise Http404
        return Response(s.MyAssignmentOutput(_with_quiz_views([item])[0]).data)


class MyAssignmentCommandView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]
    command = "start"

    @extend_schema(request=None, responses=s.MyAssignmentOutput)
    def post(self, request, link_id):
        link = selectors.assignment_links_for_pupil(pupil=request.user).filter(pk=link_id).first()
        if link is None:
            raise Http404
        if self.command == "turn-in":
            services.assignment_pupil_turn_in(link=link)
        else:
            services.assignment_pupil_start(link=link)
        item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
        return Response(s.MyAssignmentOutput(_with_quiz_views([item])[0]).data)


class MyLessonDoneView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]

    @extend_schema(request=None, responses={204: None}, summary="Mark a lesson as done")
    def post(self, request, page_id):
        page = Page.objects.live().public().type(LessonPage).filter(pk=page_id).first()
        if page is None:
            raise Http404
        services.lesson_progress_complete(pupil=request.user, page_id=page.pk,
                                          parent_path=page.path[:-page.steplen])
        return Response(status=status.HTTP_204_NO_CONTENT)

