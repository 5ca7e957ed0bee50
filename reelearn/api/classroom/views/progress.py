"""A class's progress grid: pupils × assignments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reelearn.classroom import selectors

from .. import serializers as s
from .common import managed_classroom


class ProgressView(APIView):
    @extend_schema(responses=s.ProgressOutput, summary="Progress grid: pupils × assignments")
    def get(self, request, class_id):
        classroom = managed_classroom(request, class_id)
        board = selectors.class_dashboard(classroom=classroom)
        return Response(
            s.ProgressOutput(
                {
                    "assignments": [
                        {
                            "id": a.pk,
                            "title": a.title,
                            "due_at": a.due_at.isoformat() if a.due_at else None,
                        }
                        for a in board["assigned"]
                    ],
                    "pupils": [
                        {
                            "pupil": row["pupil"].pk,
                            "display_name": row["pupil"].display_name,
                            "cells": [
                                {"assignment": c["assignment"].pk, "status": c["status"]}
                                for c in row["cells"]
                            ],
                        }
                        for row in board["grid"]
                    ],
                }
            ).data
        )
