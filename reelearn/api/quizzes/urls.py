from django.conf import settings
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("quizzes", views.QuizViewSet, basename="quiz")
router.register("attempts", views.AttemptViewSet, basename="attempt")

urlpatterns = [
    path("quizzes/<id:quiz_id>/attempts/", views.AttemptStartView.as_view(), name="attempt-start"),
    path(
        "attempts/<id:attempt_id>/answers/<id:question_id>/",
        views.AnswerSaveView.as_view(),
        name="answer-save",
    ),
    path("attempts/<id:attempt_id>/answers/", views.AnswersSaveView.as_view(), name="answers-save"),
    path(
        "attempts/<id:attempt_id>/submit/", views.AttemptSubmitView.as_view(), name="attempt-submit"
    ),
    path("classes/<id:class_id>/gradebook/", views.GradebookView.as_view(), name="quiz-gradebook"),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/results/",
        views.QuizResultsView.as_view(),
        name="quiz-results",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/analysis/",
        views.ItemAnalysisView.as_view(),
        name="quiz-analysis",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/export/",
        views.QuizExportView.as_view(),
        name="quiz-export",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/marking/",
        views.MarkingListView.as_view(),
        name="quiz-marking",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/regrade/",
        views.RegradeView.as_view(),
        name="quiz-regrade",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/paper-marks/",
        views.PaperMarksView.as_view(),
        name="quiz-paper-marks",
    ),
    path("answers/<id:answer_id>/mark/", views.AnswerMarkView.as_view(), name="answer-mark"),
    *router.urls,
]

if settings.REELEARN_BENCH:
    # The API's floor (bench/quiz_rush.py only), matched as early as the autosave it stands for.
    urlpatterns.insert(2, path("bench/floor/", views.BenchFloorView.as_view(), name="bench-floor"))
