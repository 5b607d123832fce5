"""The one place Clearline talks to Twilio's REST API (all outbound HTTP to Twilio goes through ``twilio_request``).

Tests patch ``twilio_request`` (``autospec=True``) or ``requests.request`` and assert on the payload. The
integration is off until ``TWILIO_ACCOUNT_SID`` and ``TWILIO_AUTH_TOKEN`` are set; calls then raise
``TwilioNotConfigured``. Nothing here logs phone numbers. The API's root is ``settings.TWILIO_API_ROOT`` (Twilio's
by default), so an end-to-end test can point it at a local stand-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

API_ROOT = "https://api.twilio.com"
API_VERSION = "/2010-04-01"
TIMEOUT_S = 10


class TwilioApiError(Exception):
    """Twilio answered 4xx/5xx (``status``, Twilio's ``code`` and ``message``), or could not be reached."""

    def __init__(self, message: str, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message if status is None else f"Twilio API {status}: {message}")
        self.message = message
        self.status = status
        self.code = code


class TwilioNotConfigured(TwilioApiError):
    """A setting the call needs is missing: the integration is off."""


def _credentials() -> tuple[str, str]:
    sid = getattr(settings, "TWILIO_ACCOUNT_SID", None)
    token = getattr(settings, "TWILIO_AUTH_TOKEN", None)
    if not sid or not token:
        raise TwilioNotConfigured("Twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
    return sid, token


def api_root() -> str:
    return (getattr(settings, "TWILIO_API_ROOT", "") or API_ROOT).rstrip("/")


def _url(sid: str, path: str) -> str:
    # Twilio's paging links (``next_page_uri``) are absolute paths from the API version on.
    root = api_root()
    if path.startswith(API_VERSION + "/"):
        return root + path
    return f"{root}{API_VERSION}/Accounts/{sid}/{path.lstrip('/')}"


def twilio_request(method: str, path: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call the account's REST API: ``path`` relative to ``/2010-04-01/Accounts/{sid}/`` (or a paging URI).

    ``data`` is sent form-encoded for POST and as the query string otherwise. Returns the decoded JSON body.
    Raises ``TwilioApiError`` with Twilio's status and message on 4xx/5xx or when Twilio cannot be reached.
    """
    sid, token = _credentials()
    method = method.upper()
    form, query = (data, None) if method == "POST" else (None, data)
    try:
        response = requests.request(
            method, _url(sid, path), params=query, data=form, auth=(sid, token), timeout=TIMEOUT_S
        )
    except requests.RequestException as error:
        raise TwilioApiError(f"could not reach Twilio: {type(error).__name__}") from error
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = {}
    if response.status_code >= 400:
        message = body.get("message") if isinstance(body, dict) else None
        code = body.get("code") if isinstance(body, dict) else None
        raise TwilioApiError(message or response.reason or "error", response.status_code, code)
    if not isinstance(body, dict):
        raise TwilioApiError("unexpected response body", response.status_code)
    return body


@dataclass(frozen=True)
class IncomingNumber:
    sid: str
    phone_number: str
    friendly_name: str
    voice_url: str
    status_callback: str
    voice_fallback_url: str

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> IncomingNumber:
        return cls(
            sid=row["sid"],
            phone_number=row.get("phone_number") or "",
            friendly_name=row.get("friendly_name") or "",
            voice_url=row.get("voice_url") or "",
            status_callback=row.get("status_callback") or "",
            voice_fallback_url=row.get("voice_fallback_url") or "",
        )


def list_incoming_numbers() -> list[IncomingNumber]:
    """Every phone number of the account, following Twilio's pages."""
    numbers: list[IncomingNumber] = []
    path: str | None = "IncomingPhoneNumbers.json"
    data: dict[str, Any] | None = {"PageSize": 100}
    while path:
        page = twilio_request("GET", path, data)
        numbers += [IncomingNumber.from_json(row) for row in page.get("incoming_phone_numbers", [])]
        path, data = page.get("next_page_uri"), None  # the paging link carries its own query
    return numbers


def update_incoming_number(
    sid: str, voice_url: str, status_callback: str, fallback_url: str | None = None
) -> IncomingNumber:
    """Point a number's voice webhooks at Clearline (POST) and, if given, at the static fallback TwiML (GET)."""
    data = {
        "VoiceUrl": voice_url,
        "VoiceMethod": "POST",
        "StatusCallback": status_callback,
        "StatusCallbackMethod": "POST",
    }
    if fallback_url:
        # The fallback is a static file: static hosts answer GET, and many refuse POST.
        data |= {"VoiceFallbackUrl": fallback_url, "VoiceFallbackMethod": "GET"}
    return IncomingNumber.from_json(twilio_request("POST", f"IncomingPhoneNumbers/{sid}.json", data))


def fetch_call(call_sid: str) -> dict[str, Any]:
    """One call's record (``status``, ``duration``, ...), for the nightly reconciliation."""
    return twilio_request("GET", f"Calls/{call_sid}.json")


def send_sms(to: str, body: str) -> dict[str, Any]:
    """Send a text from ``TWILIO_SMS_FROM``; returns Twilio's message resource (``sid``, ``status``)."""
    sender = getattr(settings, "TWILIO_SMS_FROM", None)
    if not sender:
        raise TwilioNotConfigured("Twilio SMS is not configured: set TWILIO_SMS_FROM.")
    return twilio_request("POST", "Messages.json", {"From": sender, "To": to, "Body": body})


# The status callback events a provider's leg reports (Twilio's ``StatusCallbackEvent``, one field each).
LEG_EVENTS = ("initiated", "ringing", "answered", "completed")


def create_call(
    *,
    to: str,
    from_: str,
    url: str,
    status_callback: str,
    timeout_s: int,
    events: tuple[str, ...] = LEG_EVENTS,
) -> str:
    """Start an outbound call (a provider's leg): it rings ``to`` for ``timeout_s`` seconds showing ``from_``;
    when answered Twilio asks ``url`` (POST) for its TwiML; each of ``events`` is posted to ``status_callback``.
    Returns the new call's SID."""
    data: dict[str, Any] = {
        "To": to,
        "From": from_,
        "Url": url,
        "Method": "POST",
        "StatusCallback": status_callback,
        "StatusCallbackMethod": "POST",
        "StatusCallbackEvent": list(events),
        "Timeout": str(timeout_s),
    }
    sid = twilio_request("POST", "Calls.json", data).get("sid")
    if not isinstance(sid, str) or not sid:
        raise TwilioApiError("the new call has no sid")
    return sid


def end_call(call_sid: str) -> dict[str, Any]:
    """Hang up a call whatever its state: ``Status=completed`` ends a ringing call and one in progress alike
    (``canceled`` would leave an answered one, a provider listening to the whisper, on the line)."""
    return twilio_request("POST", f"Calls/{call_sid}.json", {"Status": "completed"})


def delete_queue(queue_sid: str) -> None:
    """Remove an empty call queue (each helpline call makes its own; Twilio keeps them until deleted)."""
    twilio_request("DELETE", f"Queues/{queue_sid}.json")
