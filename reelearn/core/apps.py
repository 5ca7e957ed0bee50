from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "reelearn.core"
    label = "core"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - CDN purges on publish, move, privacy change
        from .converters import IdConverter

        register_converter(IdConverter, "id")
