"""The absolute URLs TwiML hands to Twilio for the next event of a call, from the site's origin as Twilio sees it."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from clearline.telephony.twilio.signatures import signed_url
from clearline.telephony.twilio.twiml import QueueUrls

# The webhooks whose URLs carry the call (?call=CallSid, and ?step= where a step has an index).
CALL_ACTIONS = (
    "place",
    "menu",
    "dial",
    "wave_keys",
    "callback",
    "number",
    "options",
    "wave_hold",
    "wave_hold_keys",
    "wave_left",
)
# The provider legs' webhooks: the renderer adds ?attempt=ID.
LEG_ACTIONS = ("whisper", "whisper_accept", "status", "wave_leg_status")


@functools.cache
def _paths(script_prefix: str) -> dict[str, str]:
    """The webhooks' paths, reversed once per script prefix (the URL configuration never changes at run time)."""
    return {name: reverse(f"telephony:{name}") for name in (*CALL_ACTIONS, *LEG_ACTIONS)}


def origin_of(request: HttpRequest) -> str:
    """``scheme://host`` as Twilio called it (behind the configured proxy, the public URL)."""
    base = signed_url(request)
    return base[: base.index("/", base.index("//") + 2)]


def queue_waves() -> bool:
    """Whether provider waves ring in Twilio's queue shape (``CLEARLINE_TWILIO_WAVES = "queue"``)."""
    return getattr(settings, "CLEARLINE_TWILIO_WAVES", "dial") == "queue"


def call_urls(origin: str, call_sid: str, step_index: int | None = None) -> QueueUrls:
    """Every action URL one answer may need, for the call ``call_sid`` at ``step_index``; the queue-shaped
    wave's only when waves ring that way (their presence is what makes the renderer use it)."""
    paths = _paths(get_script_prefix())
    query = urlencode({"call": call_sid, **({"step": str(step_index)} if step_index is not None else {})})

    def url(name: str) -> str:
        return f"{origin}{paths[name]}?{query}"

    queued = queue_waves()
    return QueueUrls(
        place_action=url("place"),
        menu_action=url("menu"),
        dial_action=url("dial"),
        wave_keys=url("wave_keys"),
        callback_action=url("callback"),
        number_action=url("number"),
        options_action=url("options"),
        whisper=origin + paths["whisper"],
        whisper_accept=origin + paths["whisper_accept"],
        status_callback=origin + paths["status"],
        wave_hold=url("wave_hold") if queued else "",
        wave_left=url("wave_left") if queued else "",
        wave_hold_keys=url("wave_hold_keys") if queued else "",
        wave_leg_status=origin + paths["wave_leg_status"] if queued else "",
    )
