from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    label = "lessons"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .models import TeacherGuide
        from .translation_status import register_attached

        register_attached(TeacherGuide, TeacherGuide._meta.verbose_name)
