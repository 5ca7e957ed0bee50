from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.status, name="status"),
    path("register/", views.register, name="register"),
    path("request/", views.request_join, name="request"),
    path("leave/", views.leave, name="leave"),
    path("join/<str:token>/", views.join, name="join"),
    path("domains/confirm/<str:token>/", views.domain_confirm, name="domain-confirm"),
]
