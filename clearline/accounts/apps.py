from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clearline.accounts"
    label = "accounts"

    def ready(self) -> None:
        from clearline.accounts import signals  # noqa: F401
