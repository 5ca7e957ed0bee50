from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "reelearn.packs"
    label = "packs"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
