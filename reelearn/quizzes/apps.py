from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "reelearn.quizzes"
    label = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from . import signals  # noqa: F401
