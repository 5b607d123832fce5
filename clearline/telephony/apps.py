from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    name = "clearline.telephony"
    label = "telephony"

    def ready(self) -> None:
        from clearline.telephony import checks  # noqa: F401
        from clearline.telephony.roster import connect_signals

        connect_signals()
