from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "reelearn.classroom"
    label = "classroom"
