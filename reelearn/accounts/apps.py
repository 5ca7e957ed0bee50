from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reelearn.accounts"
    label = "accounts"
