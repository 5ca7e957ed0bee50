from django.urls import path

from . import views

app_name = "packs"

urlpatterns = [
    path("page/<id:page_id>/", views.page_packs, name="page"),
    path("page/<id:page_id>/request/", views.page_pack_request, name="page-request"),
    path(
        "page/<id:page_id>/<str:variant>.pdf",
        views.page_pack_latest,
        {"extension": "pdf"},
        name="page-latest",
    ),
    path(
        "page/<id:page_id>/<str:variant>.zip",
        views.page_pack_latest,
        {"extension": "zip"},
        name="page-zip",
    ),
    path("<id:pack_id>/download/", views.pack_download, name="download"),
    path("class/<id:assignment_id>/", views.class_pack, name="class"),
    path("class/<id:assignment_id>/<str:paper>.pdf", views.class_pack_latest, name="class-latest"),
]
