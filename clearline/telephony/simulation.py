"""The call simulator: a pretend call through the real call flow, step by step, without Twilio.

``simulate_call`` plays the caller, the providers' phones and Twilio's part. It calls the call flow's events
(``clearline.telephony.flow``) exactly as the Twilio webhooks do, renders each answer with the same TwiML
renderer and the call's real action URLs, and does what Twilio would do with it: the caller presses a key or
nothing, each wave's legs behave as asked (accept after the whisper, ring out, busy, or voicemail that answers and
never presses 1), the wave ends with what Twilio would report, and the call's status ends it.

Pretend calls leave nothing behind: the whole run happens in one database transaction that is rolled back at the
end, after the records were read (``simulation_records.snapshot``). Reports, fair-share rotation credit, daily caps,
provider notifications and callback queues never see a simulated call. Privacy: the caller's number is masked
(all but its last two digits) in every argument and answer shown; the callback's encrypted number is never
returned.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.routing import CallbackOffer, Dial, ListingOptions
from clearline.telephony import flow, journal, keys
from clearline.telephony.answers import (
    Answer,
    AskNumber,
    AskPlace,
    CallbackGiven,
    CallbackRefused,
    Greeting,
    WhisperResult,
)
from clearline.telephony.simulation_records import (
    SimulatedCall,
    SimulatedStep,
    TraceRow,
    mask_number,
    pretty_xml,
    snapshot,
    trace_rows,
)
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.action_urls import call_urls

Behaviour = Literal["accept", "no-answer", "busy", "voicemail"]
BEHAVIOURS: tuple[Behaviour, ...] = ("accept", "no-answer", "busy", "voicemail")
# The behaviours key for a listing number's facility (its leg has no whisper: voicemail counts as answered).
FACILITY = "facility"
WITHHELD = "anonymous"
MAX_STEPS = 60
TALK_S = 300
GREETING_S = 30

__all__ = [
    "BEHAVIOURS",
    "FACILITY",
    "SimulatedCall",
    "SimulatedStep",
    "SimulationError",
    "TraceRow",
    "mask_number",
    "new_call_sid",
    "simulate_call",
    "trace_rows",
]


class SimulationError(Exception):
    """The simulation could not run (an unknown number, a malformed argument)."""


def new_call_sid() -> str:
    """Twilio's shape: ``CA`` and 32 hex digits."""
    return "CA" + uuid.uuid4().hex


def simulate_call(
    *,
    number: str,
    caller: str,
    caller_state: str,
    behaviours: Mapping[str, str],
    menu_digit: str = "",
    callback: bool = True,
    origin: str = "http://testserver",
    call_sid: str | None = None,
) -> SimulatedCall:
    """Place one pretend call to ``number`` through the call flow and return every step and the records.

    ``caller`` is the caller ID (E.164 or anything ``normalize_e164`` reads; ``"anonymous"`` or empty for a
    withheld one). ``behaviours`` maps provider ids (and ``FACILITY`` for listing numbers) to ``"accept"``,
    ``"no-answer"``, ``"busy"`` or ``"voicemail"``; a provider not named does not answer. ``menu_digit`` is what
    the caller presses during the greeting (``"9"`` crisis line, ``"0"`` free helpline, ``"2"`` Spanish, ``""``
    nothing); ``callback`` whether the caller presses 1 when offered a callback. ``origin`` is the site's
    ``scheme://host`` as Twilio would see it (the simulator page passes its own). ``call_sid`` replays a decision:
    the tie-break seed derives from it, and nothing a run writes is kept, so the same CallSid gives the same plan
    while nothing else changed (a fresh one by default).
    """
    unknown = {b for b in behaviours.values() if b not in BEHAVIOURS}
    if unknown:
        raise SimulationError(f"Unknown behaviour(s): {', '.join(sorted(unknown))}")
    if menu_digit not in ("", "0", "2", "9"):
        raise SimulationError("The menu digit must be empty, 0, 2 or 9.")
    caller_number = None
    if caller.strip().lower() not in ("", WITHHELD):
        try:
            caller_number = normalize_e164(caller)
        except InvalidPhoneNumber:
            raise SimulationError("The caller's number is not a phone number.") from None  # never echo it
    try:
        to_number = normalize_e164(number)
    except InvalidPhoneNumber:
        raise SimulationError("The dialled number is not a phone number.") from None
    run = _Run(
        number=to_number,
        caller_number=caller_number,
        caller_state=caller_state,
        behaviours=dict(behaviours),
        menu_digit=menu_digit,
        callback=callback,
        origin=origin.rstrip("/"),
        call_sid=call_sid or new_call_sid(),
    )
    with transaction.atomic():
        run.play()
        result = snapshot(run.call_sid, tuple(run.steps), run.masked())
        transaction.set_rollback(True)
    return result


@dataclass
class _Run:
    number: str
    caller_number: str | None
    caller_state: str
    behaviours: dict[str, str]
    menu_digit: str
    callback: bool
    origin: str
    call_sid: str
    steps: list[SimulatedStep] = field(default_factory=list)
    menu_digit_used: bool = False
    ring_s: int = 0
    connected: bool = False

    # -- the call ---------------------------------------------------------------------------------------------

    def play(self) -> None:
        answer = self.event(
            _("A call comes in"),
            "voice",
            flow.call_started,
            call_sid=self.call_sid,
            to_number=self.number,
            caller_number=self.caller_number,
            caller_state=self.caller_state,
        )
        for _step in range(MAX_STEPS):
            if answer is None:
                break
            answer = self.respond(answer)
        else:
            self.note(_("The simulation stopped after %(n)s steps.") % {"n": MAX_STEPS})
        self.status(
            _("The caller hangs up: the call's status callback"),
            status="completed",
            duration=str(GREETING_S + self.ring_s + (TALK_S if self.connected else 0)),
        )

    def respond(self, answer: Answer) -> Answer | None:
        """What the caller (and Twilio) do with one answer; the next event's answer, or None when the call ends."""
        step = answer.step
        if isinstance(step, AskPlace):
            self.note(_("No ZIP code typed."))
            return self.event(
                _("The caller skips the ZIP prompt"),
                "place",
                flow.place_entered,
                call_sid=self.call_sid,
                digits="",
                to_number=self.number,
                caller_number=self.caller_number,
            )
        if isinstance(step, Greeting):
            digits = "" if self.menu_digit_used else self.menu_digit
            self.menu_digit_used = True
            label = (
                _("The caller presses %(digits)s during the greeting") % {"digits": digits}
                if digits
                else _("No key pressed: the greeting's <Redirect>")
            )
            return self.event(label, "menu", flow.menu_pressed, call_sid=self.call_sid, digits=digits)
        if isinstance(step, Dial):
            return self.ring_facility(step) if answer.listing else self.ring_wave(step, answer.attempt_ids)
        if isinstance(step, CallbackOffer):
            digits = keys.CALLBACK_DIGIT if self.callback else ""
            label = (
                _("The caller presses %(digits)s to accept the callback offer") % {"digits": digits}
                if digits
                else _("No key pressed at the callback offer")
            )
            return self.event(
                label,
                "callback",
                flow.callback_pressed,
                call_sid=self.call_sid,
                digits=digits,
                caller_number=self.caller_number,
            )
        if isinstance(step, AskNumber):
            self.note(_("No number typed: Twilio plays the rest, a transfer to the free helpline."))
        elif isinstance(step, CallbackGiven | ListingOptions):
            self.note(_("No key pressed: goodbye."))
        elif isinstance(step, CallbackRefused):
            self.note(_("Twilio transfers the caller to the free helpline."))
        else:
            self.note(_("The call ends here (a transfer, goodbye or hang-up in the TwiML above)."))
        return None

    def ring_facility(self, dial: Dial) -> Answer | None:
        behaviour = self.behaviours.get(FACILITY, "accept")
        ending = {"busy": flow.DialEnd.BUSY, "no-answer": flow.DialEnd.NO_ANSWER}.get(
            behaviour, flow.DialEnd.ANSWERED
        )
        if ending is flow.DialEnd.ANSWERED:
            self.connected = True
        else:
            self.ring_s += dial.ring_timeout_s
        return self.wave_ended(dial, ending)

    def ring_wave(self, dial: Dial, attempt_ids: Mapping[str, str]) -> Answer | None:
        """Every leg of one wave behaves as asked; then the wave ends as Twilio would report it."""
        legs = [
            (t.id, t.name, attempt_ids[t.id], self.behaviours.get(t.id, "no-answer")) for t in dial.targets
        ]
        winner = None
        for _pid, name, attempt, behaviour in legs:  # busy lines end at once
            if behaviour == "busy":
                self.leg_status(name, attempt, "busy")
        for _pid, name, attempt, behaviour in legs:  # voicemail picks up after a few rings, never presses 1
            if behaviour == "voicemail":
                self.event(
                    _("Voicemail answers %(name)s's phone: the whisper") % {"name": name},
                    "whisper",
                    flow.provider_answered,
                    attempt_id=int(attempt),
                )
                self.note(_("Nobody presses 1: the whisper hangs up on the voicemail."))
                self.leg_status(name, attempt, "completed")
        for _pid, name, attempt, behaviour in legs:  # acceptances race: the first to press 1 wins
            if behaviour != "accept":
                continue
            if winner is not None:
                self.leg_status(name, attempt, "canceled")
                continue
            self.event(
                _("%(name)s answers: the whisper") % {"name": name},
                "whisper",
                flow.provider_answered,
                attempt_id=int(attempt),
            )
            result = self.event(
                _("%(name)s presses 1 to accept") % {"name": name},
                "whisper_accept",
                flow.provider_pressed,
                attempt_id=int(attempt),
                digits=keys.ACCEPT_DIGIT,
            )
            if result is not None and isinstance(result.step, WhisperResult) and result.step.accepted:
                winner = name
                self.note(_("Twilio bridges %(name)s and the caller.") % {"name": name})
            else:
                self.note(_("Refused: the call was already taken; the leg hangs up."))
                self.leg_status(name, attempt, "completed")
        for _pid, name, attempt, behaviour in legs:
            if behaviour == "no-answer":
                self.leg_status(name, attempt, "canceled" if winner is not None else "no-answer")
        if winner is not None:
            self.connected = True
            return self.wave_ended(dial, flow.DialEnd.ANSWERED)
        self.ring_s += dial.ring_timeout_s
        everyone_busy = bool(legs) and all(behaviour == "busy" for *_rest, behaviour in legs)
        return self.wave_ended(dial, flow.DialEnd.BUSY if everyone_busy else flow.DialEnd.NO_ANSWER)

    def wave_ended(self, dial: Dial, ending: flow.DialEnd) -> Answer | None:
        return self.event(
            _("The <Dial> ends: Twilio posts its result (%(status)s)") % {"status": ending.value},
            "dial",
            flow.wave_ended,
            call_sid=self.call_sid,
            step_index=dial.index,
            ending=ending,
        )

    def leg_status(self, name: str, attempt: str, status: str) -> None:
        self.status(
            _("%(name)s's leg reports %(status)s") % {"name": name, "status": status},
            status=status,
            attempt=attempt,
        )

    # -- events -----------------------------------------------------------------------------------------------

    def event(
        self, label: str, webhook: str, handler: Callable[..., Answer], **arguments: object
    ) -> Answer | None:
        """Call one event of the flow; record it with the TwiML its webhook would answer. A failure is shown as
        the fallback the webhook would answer, and ends the simulation."""
        shown = tuple((k, self.mask(str(getattr(v, "value", v)))) for k, v in arguments.items())
        try:
            with transaction.atomic():  # as a webhook's failure leaves nothing half-written
                answer = handler(**arguments)
        except Exception as error:
            fallback = twiml.render_fallback("en")
            self.steps.append(
                SimulatedStep(
                    label, handler.__name__, self.path(webhook), shown, pretty_xml(fallback), failed=True
                )
            )
            self.note(
                _("The event failed (%(error)s): the webhook answers the fallback.")
                % {"error": type(error).__name__}
            )
            return None
        body = twiml.render_answer(answer, call_urls(self.origin, self.call_sid, answer.index))
        self.steps.append(
            SimulatedStep(label, handler.__name__, self.path(webhook), shown, self.mask(pretty_xml(body)))
        )
        return answer

    def status(
        self, label: str, *, status: str, attempt: str | None = None, duration: str | None = None
    ) -> None:
        """A status callback (the call's, or with ``attempt`` a provider leg's), applied as the webhook applies it;
        a failure is shown (the webhook would answer 500, which Twilio's debugger shows)."""
        event = journal.status_event(
            call_sid=self.call_sid,
            status=status,
            attempt=attempt,
            duration=duration,
            received_at=timezone.now(),
        )
        shown = (
            ("status", status),
            *((("attempt", attempt),) if attempt else ()),
            *((("duration", duration),) if duration else ()),
        )
        try:
            with transaction.atomic():
                flow.status_changed(event)
        except Exception as error:
            self.steps.append(
                SimulatedStep(label, "status_changed", self.path("status"), shown, "", failed=True)
            )
            failure = {"error": type(error).__name__}
            self.note(_("The status could not be applied (%(error)s): the webhook answers 500.") % failure)
            return
        self.steps.append(SimulatedStep(label, "status_changed", self.path("status"), shown, ""))

    def path(self, webhook: str) -> str:
        return reverse(f"telephony:{webhook}")

    def note(self, then: str) -> None:
        """What Twilio did with the last answer, when that was not another event."""
        if self.steps:
            last = self.steps[-1]
            joined = f"{last.then} {then}".strip()
            self.steps[-1] = SimulatedStep(
                last.label, last.event, last.webhook, last.arguments, last.body, joined, last.failed
            )

    # -- masking ----------------------------------------------------------------------------------------------

    def mask(self, text: str) -> str:
        if self.caller_number is None:
            return text
        digits = self.caller_number.lstrip("+")
        variants = {self.caller_number, digits, digits[1:] if digits.startswith("1") else digits}
        for variant in sorted(variants, key=len, reverse=True):
            if len(variant) >= 7:
                text = text.replace(variant, mask_number(variant))
        return text

    def masked(self) -> str:
        return _("withheld") if self.caller_number is None else mask_number(self.caller_number)
