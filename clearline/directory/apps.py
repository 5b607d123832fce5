from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clearline.directory"
    label = "directory"
