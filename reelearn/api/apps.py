from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reelearn.api"
    label = "api"

    def ready(self):
        from . import signals  # noqa: F401
