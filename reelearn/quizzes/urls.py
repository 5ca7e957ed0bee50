from django.conf import settings
from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    # Pupils
    path("my-work/quizzes/<id:quiz_id>/", views.quiz_detail, name="quiz"),
    path("my-work/quizzes/<id:quiz_id>/start/", views.quiz_start, name="start"),
    path("my-work/quizzes/attempts/<id:attempt_id>/", views.attempt_take, name="attempt"),
    path(
        "my-work/quizzes/attempts/<id:attempt_id>/review/",
        views.attempt_submit_review,
        name="submit-review",
    ),
    path("my-work/quizzes/attempts/<id:attempt_id>/result/", views.attempt_result, name="result"),
    path(
        "my-work/quizzes/attempts/<id:attempt_id>/practice/",
        views.attempt_practice,
        name="practice",
    ),
    # Teachers
    path("classes/<id:class_id>/gradebook/", views.gradebook, name="gradebook"),
    path(
        "classes/<id:class_id>/gradebook/gradebook.csv", views.gradebook_csv, name="gradebook-csv"
    ),
    path("classes/<id:class_id>/quizzes/<id:quiz_id>/", views.quiz_results, name="results"),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/analysis/", views.quiz_analysis, name="analysis"
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/detail.csv",
        views.quiz_export,
        {"kind": "detail"},
        name="export-detail",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/summary.csv",
        views.quiz_export,
        {"kind": "summary"},
        name="export-summary",
    ),
    path("classes/<id:class_id>/quizzes/<id:quiz_id>/marking/", views.quiz_marking, name="marking"),
    path("classes/<id:class_id>/quizzes/<id:quiz_id>/regrade/", views.quiz_regrade, name="regrade"),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/paper/<id:assignment_id>/",
        views.paper_marks,
        name="paper-marks",
    ),
    path(
        "classes/<id:class_id>/quizzes/<id:quiz_id>/attempts/<id:attempt_id>/",
        views.attempt_review,
        name="attempt-review",
    ),
]

if settings.REELEARN_BENCH:
    # A trivial view to compare throughput against (bench/quiz_rush.py only).
    urlpatterns.append(path("bench/ping", views.bench_ping, name="bench-ping"))
