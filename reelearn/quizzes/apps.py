from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "reelearn.quizzes"
    label = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from lessons.translation_status import register_attached
        from reelearn.classroom.contributions import (
            register_archived_table,
            register_assignment_results,
            register_assignment_work,
            register_attention,
            register_class_tabs,
            register_class_work,
            register_export_part,
        )

        from . import contributions, signals, translations  # noqa: F401
        from .models import Quiz

        register_assignment_work(contributions.assignment_quizzes)
        register_export_part(contributions.class_export_rows)
        register_class_work(contributions.class_quiz_work)
        register_assignment_results(contributions.assignment_quiz_results)
        register_attention(contributions.answers_to_mark)
        register_class_tabs(contributions.results_tab)
        for table in contributions.ARCHIVED_TABLES:
            register_archived_table(table)
        register_attached(Quiz, Quiz._meta.verbose_name)  # Reports → Translations
