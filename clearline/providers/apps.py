from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "clearline.providers"
    label = "providers"

    def ready(self) -> None:
        from clearline.providers import signals  # noqa: F401
