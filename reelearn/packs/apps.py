from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "reelearn.packs"
    label = "packs"
