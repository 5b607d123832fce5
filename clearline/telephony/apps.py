from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    name = "clearline.telephony"
    label = "telephony"
