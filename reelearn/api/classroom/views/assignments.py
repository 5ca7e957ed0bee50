"""Assignments: drafts, assigning, and each pupil's copy (status, extensions, returned work)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from reelearn.classroom import selectors, services
from reelearn.classroom.models import Assignment, AssignmentPupil

from ...exceptions import error_response
from .. import serializers as s
from .common import PaginatedAPIView, managed_assignment, managed_classroom, paginate, validated


class AssignmentListView(PaginatedAPIView):
    @extend_schema(responses=s.AssignmentOutput(many=True), summary="The class's assignments")
    def get(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        assignments = (
            Assignment.objects.filter(classroom=classroom)
            .select_related("page")
            .prefetch_related("groups", "pupils")
            .order_by("-created_at", "-pk")
        )
        return paginate(self, request, assignments, s.AssignmentOutput)

    @extend_schema(
        request=s.AssignmentCreateInput,
        responses={201: s.AssignmentOutput},
        summary="A draft assignment (see its content guidance, then assign it)",
    )
    def post(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        data = validated(s.AssignmentCreateInput, request.data)
        assignment = services.assignment_create(
            classroom=classroom,
            created_by=request.user,
            page=data["page"],
            tier=data["tier"],
            title=data["title"],
            instructions=data["instructions"],
            audience=data["audience"],
            group_ids=data["groups"],
            pupil_ids=data["pupils"],
            open_at=data["open_at"],
            due_at=data["due_at"],
            quiz_settings=data["quiz_settings"],
            language=data["language"],
        )
        return Response(AssignmentDetailView.body(assignment), status=status.HTTP_201_CREATED)


class AssignmentDetailView(APIView):
    @staticmethod
    def body(assignment: Assignment) -> dict:
        assignment = (
            Assignment.objects.select_related("page")
            .prefetch_related("groups", "pupils")
            .get(pk=assignment.pk)
        )
        data = dict(s.AssignmentOutput(assignment).data)
        if assignment.status == Assignment.Status.DRAFT:
            data["content_guidance"] = s.GuidanceOutput(
                selectors.content_guidance(page=assignment.page), many=True
            ).data
        return data

    @extend_schema(responses=s.AssignmentOutput, summary="One assignment (drafts: with guidance)")
    def get(self, request, assignment_id):
        return Response(self.body(managed_assignment(request, assignment_id)))

    @extend_schema(
        request=s.AssignmentUpdateInput,
        responses=s.AssignmentOutput,
        summary="Change an assignment (who it is for: drafts only)",
    )
    def patch(self, request, assignment_id):
        assignment = managed_assignment(request, assignment_id)
        data = validated(s.AssignmentUpdateInput, request.data, partial=True)
        names = ("title", "instructions", "open_at", "audience", "language")
        kwargs = {k: data[k] for k in names if k in data}
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
        services.assignment_delete(assignment=managed_assignment(request, assignment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentAssignView(APIView):
    @extend_schema(
        request=None,
        responses=s.AssignmentOutput,
        summary="Assign a draft: one copy per pupil in its audience",
    )
    def post(self, request, assignment_id):
        assignment = managed_assignment(request, assignment_id)
        services.assignment_assign(assignment=assignment)
        return Response(AssignmentDetailView.body(assignment))


class AssignmentPupilsView(APIView):
    @extend_schema(responses=s.LinkOutput(many=True), summary="Each pupil's status")
    def get(self, request, assignment_id):
        assignment = managed_assignment(request, assignment_id)
        return Response(
            s.LinkOutput(selectors.assignment_report(assignment=assignment), many=True).data
        )


def _link(request, assignment_id, pupil_id) -> AssignmentPupil:
    assignment = managed_assignment(request, assignment_id)
    link = get_object_or_404(
        AssignmentPupil.objects.select_related("pupil"), assignment=assignment, pupil_id=pupil_id
    )
    link.assignment = assignment
    return link


def _link_body(link: AssignmentPupil) -> dict:
    due = link.due_at_override or link.assignment.due_at
    return s.LinkOutput(
        {
            "pupil": link.pupil,
            "link": link,
            "due_at": due,
            "status": selectors.link_status(link, due, timezone.now()),
        }
    ).data


class AssignmentPupilView(APIView):
    @extend_schema(
        request=s.AdjustInput,
        responses=s.LinkOutput,
        summary="Extend the due date, or give extra quiz time or attempts",
    )
    def patch(self, request, assignment_id, pupil_id):
        link = _link(request, assignment_id, pupil_id)
        data = validated(s.AdjustInput, request.data, partial=True)
        kwargs = dict(data)
        services.assignment_pupil_adjust(link=link, **kwargs)
        return Response(_link_body(link))


class AssignmentPupilReturnView(APIView):
    @extend_schema(request=None, responses=s.LinkOutput, summary="Return turned-in work")
    def post(self, request, assignment_id, pupil_id):
        link = _link(request, assignment_id, pupil_id)
        if not services.assignment_pupil_return(link=link):
            return error_response(
                "not_turned_in", "Only turned-in work can be returned.", status.HTTP_409_CONFLICT
            )
        return Response(_link_body(link))
