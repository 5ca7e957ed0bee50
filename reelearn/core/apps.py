from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "reelearn.core"
    label = "core"

    def ready(self) -> None:
        from .converters import IdConverter

        register_converter(IdConverter, "id")
