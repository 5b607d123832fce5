from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clearline.demo"
    label = "demo"
