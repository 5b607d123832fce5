from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "clearline.content"
    label = "content"
