from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "reelearn.quizzes"
    label = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from reelearn.classroom.contributions import (
            register_assignment_work,
            register_export_part,
        )

        from . import contributions, signals  # noqa: F401

        register_assignment_work(contributions.assignment_quizzes)
        register_export_part(contributions.class_export_rows)
