from django.urls import path

from . import views

C = "classes/<id:class_id>/"
A = "assignments/<id:assignment_id>/"

urlpatterns = [
    path("classes/", views.ClassListView.as_view(), name="classes"),
    path(C, views.ClassDetailView.as_view(), name="class"),
    path(C + "archive/", views.ClassArchiveView.as_view(), name="class-archive"),
    path(C + "join-code/", views.ClassJoinCodeView.as_view(), name="class-join-code"),
    path(C + "teachers/", views.ClassTeachersView.as_view(), name="class-teachers"),
    path(C + "export/", views.ClassExportView.as_view(), name="class-export"),
    path(C + "erase/", views.ClassEraseView.as_view(), name="class-erase"),
    path(C + "pupils/", views.PupilListView.as_view(), name="pupils"),
    path(C + "pupils/<id:pupil_id>/", views.PupilDetailView.as_view(), name="pupil"),
    path(C + "pupils/<id:pupil_id>/password/", views.PupilPasswordResetView.as_view(),
         name="pupil-password"),
    path(C + "pupils/<id:pupil_id>/approve/", views.PupilApproveView.as_view(),
         name="pupil-approve"),
    path(C + "groups/", views.GroupListView.as_view(), name="groups"),
    path(C + "groups/<id:group_id>/", views.GroupDetailView.as_view(), name="group"),
    path(C + "assignments/", views.AssignmentListView.as_view(), name="class-assignments"),
    path(C + "progress/", views.ProgressView.as_view(), name="class-progress"),
    path(A, views.AssignmentDetailView.as_view(), name="assignment"),
    path(A + "assign/", views.AssignmentAssignView.as_view(), name="assignment-assign"),
    path(A + "pupils/", views.AssignmentPupilsView.as_view(), name="assignment-pupils"),
    path(A + "pupils/<id:pupil_id>/", views.AssignmentPupilView.as_view(),
         name="assignment-pupil"),
    path(A + "pupils/<id:pupil_id>/return/", views.AssignmentPupilReturnView.as_view(),
         name="assignment-pupil-return"),
    path("join/", views.JoinView.as_view(), name="join"),
    path("my/assignments/", views.MyAssignmentListView.as_view(), name="my-assignments"),
    path("my/assignments/<id:link_id>/", views.MyAssignmentDetailView.as_view(),
         name="my-assignment"),
    path("my/assignments/<id:link_id>/start/",
         views.MyAssignmentCommandView.as_view(command="start"), name="my-assignment-start"),
    path("my/assignments/<id:link_id>/turn-in/",
         views.MyAssignmentCommandView.as_view(command="turn-in"), name="my-assignment-turn-in"),
    path("my/lessons/<id:page_id>/done/", views.MyLessonDoneView.as_view(),
         name="my-lesson-done"),
]
