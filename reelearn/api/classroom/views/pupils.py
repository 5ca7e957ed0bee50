"""A class's pupils (added by name, approved, reset, erased) and joining a class with its code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from reelearn.classroom import selectors, services
from reelearn.classroom.models import Membership
from reelearn.classroom.permissions import can_manage_pupil_card

from ...exceptions import error_response
from .. import serializers as s
from .common import PaginatedAPIView, managed_classroom, paginate, validated


class PupilListView(PaginatedAPIView):
    @extend_schema(responses=s.PupilOutput(many=True), summary="The class's pupils")
    def get(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        members = (
            Membership.objects.filter(classroom=classroom)
            .select_related("pupil")
            .order_by("pupil__display_name", "pk")
        )
        return paginate(self, request, members, s.PupilOutput)

    @extend_schema(
        request=s.BulkPupilsInput,
        responses={201: s.CredentialOutput(many=True)},
        summary="Add pupils by name; answers each one's username and password once",
    )
    def post(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        data = validated(s.BulkPupilsInput, request.data)
        credentials = services.pupils_create(classroom=classroom, names=data["names"])
        return Response(
            s.CredentialOutput(credentials, many=True).data, status=status.HTTP_201_CREATED
        )


def _member(classroom, pupil_id, *, status: str | None = Membership.Status.ACTIVE) -> Membership:
    """An active pupil by default: a pending one is only a name to approve or refuse."""
    membership = selectors.pupil_in_class(classroom=classroom, pupil_id=pupil_id, status=status)
    if membership is None:
        raise Http404
    return membership


class PupilDetailView(APIView):
    @extend_schema(responses=s.PupilOutput, summary="One pupil of the class")
    def get(self, request, class_id, pupil_id):
        membership = _member(managed_classroom(request, class_id), pupil_id, status=None)
        return Response(s.PupilOutput(membership).data)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Erase a pupil (their account, unless they are in another class)",
    )
    def delete(self, request, class_id, pupil_id):
        classroom = managed_classroom(request, class_id)
        services.pupil_erase(
            classroom=classroom, pupil=_member(classroom, pupil_id, status=None).pupil
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PupilPasswordResetView(APIView):
    @extend_schema(
        request=None,
        responses=s.CredentialOutput,
        summary="A new password (and login card) for a pupil",
    )
    def post(self, request, class_id, pupil_id):
        classroom = managed_classroom(request, class_id)
        membership = _member(classroom, pupil_id)
        if not can_manage_pupil_card(request.user, classroom, membership):
            raise PermissionDenied
        return Response(
            s.CredentialOutput(services.pupil_password_reset(pupil=membership.pupil)).data
        )


class PupilApproveView(APIView):
    @extend_schema(
        request=None, responses=s.PupilOutput, summary="Let in a pupil who joined with the code"
    )
    def post(self, request, class_id, pupil_id):
        membership = _member(
            managed_classroom(request, class_id), pupil_id, status=None
        )  # approving twice changes nothing
        services.membership_approve(membership=membership)
        return Response(s.PupilOutput(membership).data)


class JoinView(APIView):
    """Join a class with its code: a new pupil account (or, signed in as a pupil, a place)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "join"

    @extend_schema(
        request=s.JoinInput,
        responses={201: s.JoinOutput},
        summary="Join a class with a code and a name",
    )
    def post(self, request):
        user = request.user
        if user.is_authenticated and not user.is_pupil:
            raise PermissionDenied
        data = validated(s.JoinInput, request.data)
        try:
            credential, membership = services.classroom_join(
                code=data["code"],
                name=data["name"],
                request=request._request,
                pupil=user if user.is_authenticated else None,
            )
        except services.JoinLocked as locked:
            return error_response(
                "locked",
                f"Too many wrong class codes. Try again in {locked.minutes} minutes.",
                status.HTTP_429_TOO_MANY_REQUESTS,
            )
        body = {"class": membership.classroom.name, "status": membership.status}
        if credential is not None:
            body.update(s.CredentialOutput(credential).data)
        return Response(body, status=status.HTTP_201_CREATED)
