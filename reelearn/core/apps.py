from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reelearn.core"
    label = "core"
