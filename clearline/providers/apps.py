from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "clearline.providers"
    label = "providers"
