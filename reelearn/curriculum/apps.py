from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """The curriculum source files' loader and checks: above lessons and quizzes, which it
    fills, and below nothing else (no models of its own)."""

    name = "reelearn.curriculum"
    label = "curriculum"
    verbose_name = "Curriculum loader"
