from django.urls import path

from .views import assignments, classes, pupil, pupils, school_admin

app_name = "classroom"

C = "classes/<id:class_id>/"
A = C + "assignments/<id:assignment_id>/"

urlpatterns = [
    # Teachers
    path("classes/", classes.class_list, name="class-list"),
    path("classes/new/", classes.class_create, name="class-create"),
    path(C, classes.class_dashboard, name="class-dashboard"),
    path(C + "edit/", classes.class_edit, name="class-edit"),
    path(C + "archive/", classes.class_archive, name="class-archive"),
    path(C + "join-code/", classes.class_join_code, name="class-join-code"),
    path(C + "teachers/", classes.class_teachers, name="class-teachers"),
    path(
        C + "teachers/<id:teacher_id>/remove/",
        classes.class_teacher_remove,
        name="class-teacher-remove",
    ),
    path(C + "export/", classes.class_export, name="class-export"),
    path(C + "erase/", classes.class_erase, name="class-erase"),
    path(C + "pupils/add/", pupils.pupils_add, name="pupils-add"),
    path(C + "pupils/<id:pupil_id>/", pupils.pupil_detail, name="pupil-detail"),
    path(
        C + "pupils/<id:pupil_id>/reset-password/",
        pupils.pupil_reset_password,
        name="pupil-reset-password",
    ),
    path(C + "pupils/<id:pupil_id>/approve/", pupils.pupil_approve, name="pupil-approve"),
    path(C + "pupils/<id:pupil_id>/unlock/", pupils.pupil_unlock, name="pupil-unlock"),
    path(C + "pupils/<id:pupil_id>/erase/", pupils.pupil_erase, name="pupil-erase"),
    path(C + "cards/", pupils.login_cards, name="login-cards"),
    path(C + "groups/", pupils.groups, name="groups"),
    path(C + "groups/<id:group_id>/", pupils.group_edit, name="group-edit"),
    path(C + "assignments/new/", assignments.assignment_create, name="assignment-create"),
    path(A, assignments.assignment_detail, name="assignment-detail"),
    path(A + "assign/", assignments.assignment_assign, name="assignment-assign"),
    path("classes/route/", assignments.route_choose_class, name="route-choose-class"),
    path(C + "assignments/route/", assignments.route_assign, name="route-assign"),
    path(A + "edit/", assignments.assignment_edit, name="assignment-edit"),
    path(A + "pupils/<id:pupil_id>/", assignments.assignment_pupil, name="assignment-pupil"),
    # School admins
    path("school/", school_admin.school_admin, name="school-admin"),
    path(
        "school/teachers/<id:membership_id>/<slug:action>/",
        school_admin.school_teacher,
        name="school-teacher",
    ),
    path(
        "school/invitations/new/",
        school_admin.school_invitation_create,
        name="school-invitation-create",
    ),
    path(
        "school/invitations/<id:invitation_id>/revoke/",
        school_admin.school_invitation_revoke,
        name="school-invitation-revoke",
    ),
    path("school/domains/new/", school_admin.school_domain_add, name="school-domain-add"),
    path(
        "school/classes/<id:class_id>/move/",
        school_admin.school_class_move,
        name="school-class-move",
    ),
    # Pupils
    path("my-work/", pupil.my_work, name="my-work"),
    path("my-work/<id:link_id>/", pupil.my_assignment, name="my-assignment"),
    path("my-work/<id:link_id>/turn-in/", pupil.my_assignment_turn_in, name="my-turn-in"),
    path("my-work/lessons/<id:page_id>/done/", pupil.lesson_done, name="lesson-done"),
    path("join/", pupil.join, name="join"),
]
