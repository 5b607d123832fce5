from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clearline.accounts"
    label = "accounts"
