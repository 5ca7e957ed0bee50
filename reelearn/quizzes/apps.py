from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "reelearn.quizzes"
    label = "quizzes"
