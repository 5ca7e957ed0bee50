from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    label = "lessons"

    def ready(self) -> None:
        from . import signals  # noqa: F401
