from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clearline.directory"
    label = "directory"

    def ready(self) -> None:
        from clearline.directory import signals  # noqa: F401
