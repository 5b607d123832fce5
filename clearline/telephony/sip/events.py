"""The SIP controller's side of the call flow: one function per SIP moment, each calling one ``flow`` event with
plain values, as the Twilio views do (``telephony/views.py``). Runs on the controller's flow threads, never on
its SIP thread; no pjsua2 here.

Each runs under the webhook deadline and timeouts (``faults``), so a stuck database fails fast and the caller
gets the fallback. Statuses go through ``journal.status_event`` and ``flow.status_changed``; when the database
cannot take one it is kept in the event journal for the worker, as the Twilio status view does.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.utils import timezone

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.telephony import carried, flow, journal
from clearline.telephony.answers import Answer
from clearline.telephony.faults import use_webhook_timeouts, webhook_deadline
from clearline.telephony.services import DialEnd
from clearline.telephony.sip.script import Event

logger = logging.getLogger(__name__)

# A CallSid made from the SIP Call-ID: "SIP" then 32 hex digits. Twilio's start with "CA": the prefix says which
# adapter carried the call.
CALL_SID_PREFIX = "SIP"
WITHHELD = {"", "anonymous", "restricted", "unknown", "unavailable", "private"}

T = TypeVar("T")


def call_sid_for(sip_call_id: str) -> str:
    return CALL_SID_PREFIX + hashlib.sha256(sip_call_id.encode()).hexdigest()[:32]


def caller_number(user: str) -> str | None:
    """The caller's number from the From URI's user part; None when withheld or not a phone number."""
    if user.strip().lower() in WITHHELD:
        return None
    try:
        return normalize_e164(user)
    except InvalidPhoneNumber:
        return None


_USER = re.compile(r"^[^:]+:(?:([^@;>]*)@)?")


def uri_user(uri: str) -> str:
    """``sip:+12065550101@host;x=y`` -> ``+12065550101`` (from a request line, or a header's ``<uri>``)."""
    inner = uri.split("<", 1)[1].split(">", 1)[0] if "<" in uri else uri.strip()
    match = _USER.match(inner)
    return (match.group(1) or "") if match else ""


def invite_facts(message: str, sip_call_id: str) -> CallFacts:
    """The number dialled (the request URI's user part) and the caller's number (the From URI's)."""
    lines = message.split("\r\n") if "\r\n" in message else message.split("\n")
    to_number = uri_user(lines[0].split(" ")[1]) if lines and " " in lines[0] else ""
    from_user = ""
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() in ("from", "f"):
            from_user = uri_user(value)
            break
    return CallFacts(call_sid_for(sip_call_id), to_number, caller_number(from_user))


@dataclass(frozen=True)
class CallFacts:
    """What the controller knows of a caller's call from its INVITE."""

    call_sid: str
    to_number: str  # the request URI's user part: one of Clearline's numbers, E.164
    caller_number: str | None


def guarded(work: Callable[[], T]) -> T:
    """``work`` under the webhook deadline and timeouts, as every Twilio webhook runs."""
    with webhook_deadline():
        use_webhook_timeouts()
        return work()


def call_started(facts: CallFacts) -> Answer:
    return guarded(
        lambda: flow.call_started(
            call_sid=facts.call_sid,
            to_number=facts.to_number,
            caller_number=facts.caller_number,
            adapter=carried.SIP,
        )
    )


def caller_event(facts: CallFacts, event: Event, digits: str) -> Answer:
    """A key (or none) at a prompt of the caller's: the event its script named."""
    sid = facts.call_sid
    name = event.name
    if name == "place":
        return guarded(
            lambda: flow.place_entered(
                call_sid=sid, digits=digits, to_number=facts.to_number, caller_number=facts.caller_number
            )
        )
    if name == "menu":
        return guarded(lambda: flow.menu_pressed(call_sid=sid, digits=digits))
    if name == "wave_keys":
        step = _step(event)
        return guarded(lambda: flow.wave_keys_pressed(call_sid=sid, step_index=step, digits=digits))
    if name == "callback":
        return guarded(
            lambda: flow.callback_pressed(call_sid=sid, digits=digits, caller_number=facts.caller_number)
        )
    if name == "number":
        return guarded(lambda: flow.callback_number_typed(call_sid=sid, digits=digits))
    if name == "options":
        return guarded(lambda: flow.options_pressed(call_sid=sid, digits=digits))
    raise ValueError(f"no caller event {name!r}")


def wave_ended(facts: CallFacts, step: int, ending: DialEnd) -> Answer:
    return guarded(lambda: flow.wave_ended(call_sid=facts.call_sid, step_index=step, ending=ending))


def ringing_keys(facts: CallFacts, step: int, digits: str) -> Answer:
    return guarded(lambda: flow.ringing_keys_pressed(call_sid=facts.call_sid, step_index=step, digits=digits))


def provider_answered(attempt: int) -> Answer:
    return guarded(lambda: flow.provider_answered(attempt_id=attempt))


def provider_pressed(attempt: int, digits: str) -> Answer:
    return guarded(lambda: flow.provider_pressed(attempt_id=attempt, digits=digits))


def report_status(
    call_sid: str, status: str, *, attempt: int | None = None, duration_s: int | None = None
) -> None:
    """The caller's call's status (with its duration) or a provider leg's, applied or, when the database cannot
    take it, kept in the event journal. Never raises: a status nobody can keep is logged."""
    event = journal.status_event(
        call_sid=call_sid,
        status=status,
        attempt=None if attempt is None else str(attempt),
        duration=None if duration_s is None else str(duration_s),
        received_at=timezone.now(),
    )
    try:
        guarded(lambda: flow.status_changed(event))
    except journal.DATABASE_FAILURES:
        try:
            journal.keep(event)
        except Exception:
            logger.exception("SIP status %s could not be applied nor kept", status)
            return
        logger.warning("SIP status %s kept in the event journal (database failing)", status)
    except Exception:
        logger.exception("SIP status %s could not be applied", status)


def keep_fallback_call(facts: CallFacts) -> None:
    """The call got the fallback because the database failed at its start: kept for the worker to store (its
    CallSid, the number dialled, the time; never the caller's number), as the Twilio voice webhook does."""
    try:
        journal.keep(
            journal.fallback_event(call_sid=facts.call_sid, to=facts.to_number, received_at=timezone.now())
        )
    except Exception:
        logger.exception("A SIP call that got the fallback could not be kept in the event journal")


def _step(event: Event) -> int:
    if event.step is None:
        raise ValueError(f"event {event.name!r} needs its step")
    return event.step
