from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "reelearn.packs"
    label = "packs"

    def ready(self) -> None:
        from reelearn.core.cdn import register_page_urls

        from . import receivers  # noqa: F401
        from .selectors import public_pack_urls

        register_page_urls(public_pack_urls)
