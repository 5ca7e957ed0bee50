from django.urls import path

from . import views

app_name = "packs"

urlpatterns = [
    path("page/<int:page_id>/", views.page_packs, name="page"),
    path("page/<int:page_id>/request/", views.page_pack_request, name="page-request"),
    path("page/<int:page_id>/<str:variant>.pdf", views.page_pack_latest,
         {"extension": "pdf"}, name="page-latest"),
    path("page/<int:page_id>/<str:variant>.zip", views.page_pack_latest,
         {"extension": "zip"}, name="page-zip"),
    path("<int:pack_id>/download/", views.pack_download, name="download"),
    path("class/<int:assignment_id>/", views.class_pack, name="class"),
    path("class/<int:assignment_id>/<str:paper>.pdf", views.class_pack_latest,
         name="class-latest"),
]
