"""A pupil's own work: their assignments (start, turn in) and lessons marked done."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page

from lessons.i18n import source_ref
from lessons.models import LessonPage
from reelearn.classroom import selectors, services

from ...exceptions import error_response
from ...permissions import IsPupil
from .. import serializers as s


class MyAssignmentListView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]

    @extend_schema(
        responses=s.MyAssignmentOutput(many=True),
        summary="My open assignments (earliest due first), with lesson progress",
    )
    def get(self, request):
        home = selectors.pupil_home(pupil=request.user)
        items = home["todo"] + home["done"]
        return Response(s.MyAssignmentOutput(items, many=True).data)


class MyAssignmentDetailView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]

    @extend_schema(responses=s.MyAssignmentOutput, summary="One of my assignments")
    def get(self, request, link_id):
        item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
        if item is None:
            raise Http404
        return Response(s.MyAssignmentOutput(item).data)


class TurnInInput(serializers.Serializer):
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Turn in unfinished work anyway (the answer to a 409 'unfinished').",
    )


class MyAssignmentCommandView(APIView):
    """Start, or turn in. Turning in unfinished work needs `confirm: true`: without it the
    answer is a 409 saying what is left, as the web page asks before it turns work in."""

    permission_classes = [IsAuthenticated, IsPupil]
    command = "start"

    @extend_schema(request=TurnInInput, responses=s.MyAssignmentOutput)
    def post(self, request, link_id):
        link = selectors.assignment_links_for_pupil(pupil=request.user).filter(pk=link_id).first()
        if link is None:
            raise Http404
        if self.command == "turn-in":
            data = TurnInInput(data=request.data if isinstance(request.data, dict) else {})
            data.is_valid(raise_exception=True)
            item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
            if not item.is_finished and not item.is_complete and not data.validated_data["confirm"]:
                return error_response(
                    "unfinished",
                    "This work is not finished: send confirm=true to turn it in anyway.",
                    status.HTTP_409_CONFLICT,
                    left=item.work_summary(),
                )
            services.assignment_pupil_turn_in(link=link, work=item.work_summary())
        else:
            services.assignment_pupil_start(link=link)
        item = selectors.pupil_assignment(pupil=request.user, link_id=link_id)
        return Response(s.MyAssignmentOutput(item).data)


class MyLessonDoneView(APIView):
    permission_classes = [IsAuthenticated, IsPupil]

    @extend_schema(request=None, responses={204: None}, summary="Mark a lesson as done")
    def post(self, request, page_id):
        lessons = Page.objects.live().public().type(LessonPage).select_related("locale")
        page = lessons.filter(pk=page_id).first()
        if page is None:
            raise Http404
        page_id, path = source_ref(page)  # a translation counts for the English lesson
        services.lesson_progress_complete(
            pupil=request.user, page_id=page_id, parent_path=path[: -page.steplen]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
