from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reelearn.api"
    label = "api"
