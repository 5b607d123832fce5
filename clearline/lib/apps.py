from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "clearline.lib"
    label = "clearline_lib"
    verbose_name = "Clearline shared"
