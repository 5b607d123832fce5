from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "clearline.portal"
    label = "portal"
