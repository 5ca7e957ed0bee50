from django.urls import path

from .views import assignments, classes, groups, my_work, progress, pupils

C = "classes/<id:class_id>/"
A = "assignments/<id:assignment_id>/"

urlpatterns = [
    path("classes/", classes.ClassListView.as_view(), name="classes"),
    path(C, classes.ClassDetailView.as_view(), name="class"),
    path(C + "archive/", classes.ClassArchiveView.as_view(), name="class-archive"),
    path(C + "join-code/", classes.ClassJoinCodeView.as_view(), name="class-join-code"),
    path(C + "teachers/", classes.ClassTeachersView.as_view(), name="class-teachers"),
    path(C + "export/", classes.ClassExportView.as_view(), name="class-export"),
    path(C + "erase/", classes.ClassEraseView.as_view(), name="class-erase"),
    path(C + "pupils/", pupils.PupilListView.as_view(), name="pupils"),
    path(C + "pupils/<id:pupil_id>/", pupils.PupilDetailView.as_view(), name="pupil"),
    path(
        C + "pupils/<id:pupil_id>/password/",
        pupils.PupilPasswordResetView.as_view(),
        name="pupil-password",
    ),
    path(
        C + "pupils/<id:pupil_id>/approve/", pupils.PupilApproveView.as_view(), name="pupil-approve"
    ),
    path(C + "groups/", groups.GroupListView.as_view(), name="groups"),
    path(C + "groups/<id:group_id>/", groups.GroupDetailView.as_view(), name="group"),
    path(C + "assignments/", assignments.AssignmentListView.as_view(), name="class-assignments"),
    path(C + "progress/", progress.ProgressView.as_view(), name="class-progress"),
    path(A, assignments.AssignmentDetailView.as_view(), name="assignment"),
    path(A + "assign/", assignments.AssignmentAssignView.as_view(), name="assignment-assign"),
    path(A + "pupils/", assignments.AssignmentPupilsView.as_view(), name="assignment-pupils"),
    path(
        A + "pupils/<id:pupil_id>/",
        assignments.AssignmentPupilView.as_view(),
        name="assignment-pupil",
    ),
    path(
        A + "pupils/<id:pupil_id>/return/",
        assignments.AssignmentPupilReturnView.as_view(),
        name="assignment-pupil-return",
    ),
    path("join/", pupils.JoinView.as_view(), name="join"),
    path("my/assignments/", my_work.MyAssignmentListView.as_view(), name="my-assignments"),
    path(
        "my/assignments/<id:link_id>/",
        my_work.MyAssignmentDetailView.as_view(),
        name="my-assignment",
    ),
    path(
        "my/assignments/<id:link_id>/start/",
        my_work.MyAssignmentCommandView.as_view(command="start"),
        name="my-assignment-start",
    ),
    path(
        "my/assignments/<id:link_id>/turn-in/",
        my_work.MyAssignmentCommandView.as_view(command="turn-in"),
        name="my-assignment-turn-in",
    ),
    path(
        "my/lessons/<id:page_id>/done/", my_work.MyLessonDoneView.as_view(), name="my-lesson-done"
    ),
]
