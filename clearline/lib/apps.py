from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "clearline.lib"
    label = "clearline_lib"
    verbose_name = "Clearline shared"

    def ready(self) -> None:
        from clearline.lib import checks  # noqa: F401 - registers the production checks
