from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "clearline.content"
    label = "content"

    def ready(self) -> None:
        from clearline.content import signals  # noqa: F401
