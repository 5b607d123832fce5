"""`clearline check` explains what the Twilio integration still needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Info, register


@register("clearline")
def check_twilio_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    missing = [
        name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not getattr(settings, name, None)
    ]
    if not missing:
        return []
    return [
        Info(
            f"The Twilio integration is off: set {' and '.join(missing)} (or their *_FILE forms). "
            "Until then /telephony/twilio/ webhooks answer 404.",
            hint="See docs/twilio.md.",
            id="clearline.I001",
        )
    ]
