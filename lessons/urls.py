from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("glossary/", views.glossary, name="glossary"),
    path("search/", views.search, name="search"),
    path("situation/<slug:slug>/", views.situation_note, name="situation"),
]
