from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clearline.reports"
    label = "reports"
