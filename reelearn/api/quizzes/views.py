"""Quiz API: pupils take quizzes; teachers read results, analysis and exports, and mark.

Reads are viewsets over scoped querysets (someone else's attempt → 404); each command is one
APIView calling the same service as the HTML views.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from reelearn.api.exceptions import error_response
from reelearn.api.permissions import IsPupil, IsTeacher
from reelearn.api.throttling import UserRateThrottle
from reelearn.classroom.models import AssignmentPupil, Classroom
from reelearn.core.dbrouter import replica_report
from reelearn.quizzes import (
    attempts,
    marking,
    permissions,
    presentation,
    reports,
    rows,
    selectors,
)
from reelearn.quizzes.answer_shapes import response_from_client
from reelearn.quizzes.cache import quiz_questions
from reelearn.quizzes.errors import AttemptClosed, NoAttemptsLeft, QuizError, TimeUp
from reelearn.quizzes.models import Answer, Attempt, Question, Quiz
from reelearn.quizzes.policy import policy_resolve

from . import serializers as s

# --- Pupils ---------------------------------------------------------------------------------


class QuizViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A published quiz as pupils see it: questions and choices, never the key."""

    queryset = Quiz.objects.live()
    lookup_value_regex = "[0-9]{1,18}"

    @extend_schema(responses={200: OpenApiResponse(description="Quiz without answers")})
    def retrieve(self, request, *args, **kwargs):
        quiz = self.get_object()
        if not permissions.can_read_quiz(request.user, quiz):
            raise Http404  # not assigned, not open for practice: as if it did not exist
        policy = policy_resolve(quiz=quiz)
        seed = presentation.reader_seed(request.user, quiz)
        views = [
            presentation.question_view(q, n, seed=seed, shuffle_choices=policy.shuffle_choices)
            for n, q in enumerate(
                quiz.questions.filter(retired=False).prefetch_related("choices"), start=1
            )
        ]
        return Response(s.quiz_data(quiz, policy, views))


class JSONRenderedNegotiation(DefaultContentNegotiation):
    """The pupil's quiz commands answer in JSON whatever the request accepts (no browsable
    page): choosing a renderer then reads no Accept header."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PupilCommand(APIView):
    """What a pupil's quiz command is: a pupil's, in JSON. The quiz's autosaves, starts and
    submits are most of the API's traffic, so they skip what cannot matter to them: form
    parsers, choosing a renderer, and the anonymous throttle (an anonymous caller is refused
    before throttles count)."""

    permission_classes = [IsPupil]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONRenderedNegotiation
    throttle_classes = [UserRateThrottle]


def _own_attempt(request, attempt_id) -> Attempt:
    try:
        return selectors.pupil_attempt(pupil=request.user, attempt_id=int(attempt_id))
    except (Attempt.DoesNotExist, ValueError):
        raise Http404 from None


def _closed_response(error: QuizError, http_status=status.HTTP_409_CONFLICT):
    detail = presentation.attempt_detail(error.attempt)
    return error_response(error.code, error.message, http_status, result=s.result_data(detail))


class AttemptStartView(PupilCommand):
    """Start an attempt at a quiz, or resume the open one (201 created, 200 resumed)."""

    @extend_schema(
        request=s.AttemptStartInput,
        responses={
            201: OpenApiResponse(description="Attempt"),
            200: OpenApiResponse(description="Resumed attempt"),
        },
    )
    def post(self, request, quiz_id: int):
        try:
            quiz = rows.live_quiz(quiz_id)
        except Quiz.DoesNotExist:
            raise Http404 from None
        data = s.AttemptStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        link = None
        if data.validated_data.get("assignment_pupil"):
            try:
                link = rows.pupil_link(
                    link_id=data.validated_data["assignment_pupil"], pupil_id=request.user.pk
                )
            except AssignmentPupil.DoesNotExist:
                raise Http404 from None
        try:
            attempt, created = attempts.attempt_start(quiz=quiz, pupil=request.user, link=link)
        except NoAttemptsLeft as error:
            return error_response(error.code, error.message, status.HTTP_409_CONFLICT)
        except QuizError as error:
            return error_response(error.code, error.message, status.HTTP_400_BAD_REQUEST)
        if created:  # no re-read: a new attempt has no answers, and its relations are here
            attempt.quiz = quiz  # assignment_pupil: the link the service chose, already set
            attempt.graded_rows = (list(quiz_questions(quiz)), [])
        else:
            attempt = selectors.pupil_attempt(pupil=request.user, attempt_id=attempt.pk)
        return Response(
            s.attempt_data(presentation.attempt_detail(attempt)),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AttemptViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The pupil's own attempts: questions in their order, saved answers, allowed feedback."""

    permission_classes = [IsPupil]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Attempt.objects.none()
        return Attempt.objects.filter(pupil=self.request.user).select_related(
            "quiz", "assignment_pupil__assignment"
        )

    @extend_schema(responses={200: OpenApiResponse(description="Attempt")})
    def retrieve(self, request, *args, **kwargs):
        attempt = self.get_object()
        if attempt.is_open and attempt.is_expired():
            attempts.attempt_close_expired(attempt=attempt)
            attempt = self.get_object()
        return Response(s.attempt_data(presentation.attempt_detail(attempt)))

    @extend_schema(
        responses={
            200: OpenApiResponse(description="Result"),
            409: OpenApiResponse(description="Not submitted yet"),
        }
    )
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        attempt = self.get_object()
        if attempt.is_open:
            return error_response(
                "not_submitted",
                "This attempt has not been submitted yet.",
                status.HTTP_409_CONFLICT,
            )
        return Response(s.result_data(presentation.attempt_detail(attempt)))


class AnswerSaveView(PupilCommand):
    """Save one answer (idempotent PUT). An older `revision` than the stored one is ignored."""

    @extend_schema(
        request=s.AnswerSaveInput,
        responses={
            200: OpenApiResponse(description="Saved (or already newer)"),
            409: OpenApiResponse(description="Submitted, time up or locked"),
        },
    )
    def put(self, request, attempt_id: int, question_id: int):
        valid = s.AnswerSaveInput.plainly_valid(request.data)
        if valid is None:
            data = s.AnswerSaveInput(data=request.data)
            data.is_valid(raise_exception=True)
            valid = data.validated_data
        try:
            result = attempts.answer_save(
                pupil=request.user,
                attempt_id=attempt_id,
                question_id=question_id,
                response=valid["response"],
                revision=valid["revision"],
                check=valid["check"],
            )
        except Attempt.DoesNotExist:
            raise Http404 from None
        except Question.DoesNotExist:
            return error_response(
                "not_found", "No such question in this quiz.", status.HTTP_404_NOT_FOUND
            )
        except (AttemptClosed, TimeUp) as error:
            error.attempt = selectors.pupil_attempt(pupil=request.user, attempt_id=error.attempt.pk)
            return _closed_response(error)
        if result.locked:
            return error_response(
                "answer_locked",
                "This answer was checked and cannot change.",
                status.HTTP_409_CONFLICT,
            )
        answer = result.answer
        body = {
            "question": question_id,
            "applied": result.applied,
            "revision": answer.revision if answer else valid["revision"],
            "saved_at": answer.saved_at if answer else None,
            "locked": bool(answer and answer.checked_at),
        }
        if answer is not None and answer.checked_at is not None:
            detail = presentation.attempt_detail(
                selectors.pupil_attempt(pupil=request.user, attempt_id=attempt_id)
            )
            view = next(v for v in detail.questions if v.question.pk == question_id)
            body["question_state"] = s.question_data(view)
        return Response(body)


class AnswersSaveView(PupilCommand):
    """Save several answers at once, each with its own revision: what a quiz page queued while
    its connection was down. They are saved in order under the attempt's lock, as if each came
    alone (the single autosave's rules and service). Each answer gets its result: saved,
    stale (this revision or a newer one is stored: nothing to send again), locked (checked) or
    invalid (not a question of this quiz, or a bad shape: see `errors`). Sending the same batch
    again changes nothing: every answer it saved is stale. A malformed request is a 400; a
    closed attempt a 409, as for a single autosave, and then nothing is saved."""

    @extend_schema(
        request=s.AnswersSaveInput,
        responses={
            200: s.AnswersSaveResult,
            400: OpenApiResponse(description="Malformed request (nothing saved)"),
            409: OpenApiResponse(description="Submitted or time up (nothing saved)"),
        },
    )
    def post(self, request, attempt_id: int):
        data = s.AnswersSaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        sent = [
            (a["question"], a["response"], a["revision"]) for a in data.validated_data["answers"]
        ]
        try:
            _attempt, results = attempts.answers_save(
                pupil=request.user, attempt_id=attempt_id, answers=sent
            )
        except Attempt.DoesNotExist:
            raise Http404 from None
        except (AttemptClosed, TimeUp) as error:
            error.attempt = selectors.pupil_attempt(pupil=request.user, attempt_id=error.attempt.pk)
            return _closed_response(error)
        return Response(
            {
                "attempt": attempt_id,
                "results": [
                    s.batch_result_data(result, revision)
                    for result, (_q, _r, revision) in zip(results, sent, strict=True)
                ],
            }
        )


class AttemptSubmitView(PupilCommand):
    """Submit once: 200 with the result; again → 409 already_submitted with the same result."""

    @extend_schema(
        request=s.AttemptSubmitInput,
        responses={
            200: OpenApiResponse(description="Result"),
            409: OpenApiResponse(description="Already submitted / time up"),
        },
    )
    def post(self, request, attempt_id: int):
        data = s.AttemptSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        raw = data.validated_data.get("answers") or {}
        # Answers sent with the submit are read in the attempt's terms (its quiz and seed);
        # without them the service finds the pupil's attempt itself, under its lock.
        attempt = _own_attempt(request, attempt_id) if raw else Attempt(pk=attempt_id)
        answers = self._answers(attempt, raw)
        try:
            result = attempts.attempt_submit(attempt=attempt, answers=answers, pupil=request.user)
        except Attempt.DoesNotExist:
            raise Http404 from None
        detail = presentation.attempt_detail(result.attempt)
        if result.timed_out and result.submitted_now:
            return error_response(
                "time_up",
                "Time was up. The answers saved before then were submitted.",
                status.HTTP_409_CONFLICT,
                result=s.result_data(detail),
            )
        if not result.submitted_now:
            return error_response(
                "already_submitted",
                "This attempt was already submitted.",
                status.HTTP_409_CONFLICT,
                result=s.result_data(detail),
            )
        return Response(s.result_data(detail))

    @staticmethod
    def _answers(attempt, raw: dict) -> list:
        if not raw:
            return []
        questions = {str(q.pk): q for q in quiz_questions(attempt.quiz)}
        answers, errors = [], {}
        for key, value in raw.items():
            question = questions.get(str(key))
            if question is None:
                errors[str(key)] = ["No such question in this quiz."]
                continue
            try:
                answers.append(
                    (
                        question,
                        response_from_client(
                            question, value, seed=attempt.seed, choices=list(question.choices.all())
                        ),
                    )
                )
            except ValidationError as error:
                errors[str(key)] = error.message_dict.get("response", error.messages)
        if errors:
            raise ValidationError(
                {"answers": [f"Question {k}: {' '.join(v)}" for k, v in errors.items()]}
            )
        return answers


class BenchFloorView(PupilCommand):
    """The API's floor, for bench/quiz_rush.py (registered only when REELEARN_BENCH=1).

    What an autosave costs before any quiz code runs: DRF's request cycle as a pupil's quiz
    command has it, token authentication, the throttle and a parsed JSON body, answered with a
    body of the same shape.
    """

    @extend_schema(exclude=True)
    def put(self, request):
        return Response(
            {
                "question": 0,
                "applied": bool(request.data),
                "revision": 0,
                "saved_at": timezone.now(),
                "locked": False,
            }
        )


# --- Teachers -------------------------------------------------------------------------------


def _pupil(user) -> dict:
    return {"id": user.pk, "name": str(user), "username": user.username}


@method_decorator(replica_report, name="get")
class GradebookView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(responses={200: OpenApiResponse(description="Pupils × assigned quizzes")})
    def get(self, request, class_id: int):
        book = reports.gradebook(reports.results_classroom(request.user, class_id))
        return Response(
            {
                "class": book.classroom.pk,
                "columns": [
                    {
                        "assignment": c.assignment.pk,
                        "assignment_title": c.assignment.title,
                        "due_at": c.assignment.due_at,
                        "quiz": c.quiz.pk,
                        "quiz_title": c.quiz.title,
                        "max_score": c.max_score,
                    }
                    for c in book.columns
                ],
                "rows": [
                    {
                        "pupil": _pupil(pupil),
                        "cells": [
                            {
                                "status": c.status,
                                "score": c.score,
                                "percent": c.percent,
                                "late": c.late,
                                "needs_marking": c.needs_marking,
                                "paper": c.paper,
                                "attempts": c.attempts,
                            }
                            for c in cells
                        ],
                    }
                    for pupil, cells in book.rows
                ],
            }
        )


@method_decorator(replica_report, name="get")
class QuizResultsView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(responses={200: OpenApiResponse(description="Every attempt, per question")})
    def get(self, request, class_id: int, quiz_id: int):
        classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
        report = reports.quiz_report(classroom, quiz, assignments=assignments)
        return Response(
            {
                "quiz": {"id": quiz.pk, "title": quiz.title, "max_score": report.max_score},
                "questions": [
                    {
                        "id": q.pk,
                        "number": n,
                        "kind": q.kind,
                        "points": q.points,
                        "prompt": q.prompt_text,
                    }
                    for n, q in enumerate(report.questions, start=1)
                ],
                "pupils": [
                    {
                        "pupil": _pupil(link.pupil),
                        "assignment": link.assignment_id,
                        "assignment_pupil": link.pk,
                        "graded_score": report.graded.get(link.pk),
                    }
                    for link in report.links
                ],
                "attempts": [
                    {
                        "id": a.pk,
                        "pupil": a.pupil_id,
                        "assignment_pupil": a.assignment_pupil_id,
                        "number": a.number,
                        "status": a.status,
                        "source": a.source,
                        "score": a.score,
                        "submitted_at": a.submitted_at,
                        "timed_out": a.timed_out,
                        "needs_marking": a.needs_marking,
                        "answers": [
                            None
                            if ans is None
                            else {
                                "question": ans.question_id,
                                "score": ans.score,
                                "is_correct": ans.is_correct,
                            }
                            for ans in answers
                        ],
                    }
                    for a, answers in report.rows()
                ],
            }
        )


@method_decorator(replica_report, name="get")
class ItemAnalysisView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(
        responses={
            200: OpenApiResponse(description="Facility, discrimination, common wrong answers")
        }
    )
    def get(self, request, class_id: int, quiz_id: int):
        classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
        analysis = reports.item_analysis(
            reports.quiz_report(classroom, quiz, assignments=assignments)
        )
        return Response(
            {
                "quiz": quiz.pk,
                "pupils": analysis.pupils,
                "mean_percent": analysis.mean_percent,
                "items": [
                    {
                        "question": i.question.pk,
                        "number": i.number,
                        "kind": i.question.kind,
                        "responses": i.responses,
                        "facility": None if i.facility is None else round(i.facility, 3),
                        "discrimination": (
                            None if i.discrimination is None else round(i.discrimination, 3)
                        ),
                        "wrong_answers": [{"answer": t, "count": c} for t, c in i.wrong_answers],
                        "blank": i.blank,
                    }
                    for i in analysis.items
                ],
            }
        )


@method_decorator(replica_report, name="get")
class QuizExportView(APIView):
    """CSV: ?kind=detail (a row per pupil per question, default) or ?kind=summary."""

    permission_classes = [IsTeacher]

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="CSV file")})
    def get(self, request, class_id: int, quiz_id: int):
        classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
        kind = request.query_params.get("kind", "detail")
        if kind not in ("detail", "summary"):
            return error_response(
                "invalid",
                "kind must be detail or summary.",
                fields={"kind": ["Choose detail or summary."]},
            )
        report = reports.quiz_report(classroom, quiz, assignments=assignments)
        rows = (
            reports.detail_csv_rows(report)
            if kind == "detail"
            else reports.summary_csv_rows(report)
        )
        return reports.csv_response(rows, f"quiz-{quiz.pk}-class-{classroom.pk}-{kind}.csv")


class MarkingListView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(responses={200: OpenApiResponse(description="Open responses to mark")})
    def get(self, request, class_id: int, quiz_id: int):
        classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
        answers = (
            Answer.objects.filter(
                attempt__quiz=quiz,
                attempt__assignment_pupil__assignment__in=assignments,
                attempt__status=Attempt.Status.SUBMITTED,
                attempt__source=Attempt.Source.ONLINE,
                question__kind=Question.Kind.OPEN,
            )
            .select_related("attempt__pupil", "question")
            .order_by("attempt__pupil__username", "attempt__number", "pk")
        )
        return Response(
            [
                {
                    "id": a.pk,
                    "attempt": a.attempt_id,
                    "pupil": _pupil(a.attempt.pupil),
                    "question": a.question_id,
                    "points": a.question.points,
                    "marking_guide": a.question.marking_guide,
                    "text": a.response.get("text", ""),
                    "score": a.score,
                    "comment": a.comment,
                    "marked_at": a.marked_at,
                }
                for a in answers
            ]
        )


class AnswerMarkView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(request=s.MarkInput, responses={200: OpenApiResponse(description="Marked")})
    def put(self, request, answer_id: int):
        answer = get_object_or_404(
            Answer.objects.select_related(
                "question", "attempt__assignment_pupil__assignment"
            ).filter(
                attempt__assignment_pupil__assignment__classroom__in=Classroom.objects.visible_to(
                    request.user
                )
            ),
            pk=answer_id,
        )
        if not permissions.can_mark_answers(
            request.user, answer.attempt.assignment_pupil.assignment.classroom
        ):
            raise PermissionDenied
        data = s.MarkInput(data=request.data)
        data.is_valid(raise_exception=True)
        answer = marking.answer_mark(
            answer=answer,
            teacher=request.user,
            score=data.validated_data["score"],
            comment=data.validated_data.get("comment", ""),
        )
        attempt = Attempt.objects.get(pk=answer.attempt_id)
        return Response(
            {
                "id": answer.pk,
                "score": answer.score,
                "comment": answer.comment,
                "attempt": {
                    "id": attempt.pk,
                    "score": attempt.score,
                    "needs_marking": attempt.needs_marking,
                },
            }
        )


class RegradeView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(request=None, responses={200: OpenApiResponse(description="Attempts changed")})
    def post(self, request, class_id: int, quiz_id: int):
        classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
        changed = marking.quiz_regrade(
            quiz=quiz, attempts=Attempt.objects.filter(assignment_pupil__assignment__in=assignments)
        )
        return Response({"changed": changed})


class PaperMarksView(APIView):
    permission_classes = [IsTeacher]

    @extend_schema(
        request=s.PaperMarksInput,
        responses={200: OpenApiResponse(description="Pupils with paper marks")},
    )
    def post(self, request, class_id: int, quiz_id: int):
        classroom, quiz, assignments = reports.results_class_quiz(request.user, class_id, quiz_id)
        data = s.PaperMarksInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = next(
            (a for a in assignments if a.pk == data.validated_data["assignment"]), None
        )
        if assignment is None:
            return error_response(
                "invalid",
                "That assignment does not include this quiz.",
                fields={"assignment": ["Choose an assignment with this quiz."]},
            )
        try:
            marks = {
                int(link): {int(q): v for q, v in row.items()}
                for link, row in data.validated_data["marks"].items()
            }
        except ValueError:
            return error_response(
                "invalid", "Use numeric ids.", fields={"marks": ["Keys must be numeric ids."]}
            )
        count = marking.paper_marks_save(
            assignment=assignment, quiz=quiz, teacher=request.user, marks=marks
        )
        return Response({"pupils": count})
