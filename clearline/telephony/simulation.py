"""The call simulator: pretend calls through the real Twilio webhooks, step by step, without Twilio.

``simulate_call`` plays Twilio's part. It posts Twilio's form fields, signed with a real ``X-Twilio-Signature``,
to the real webhook views (in-process, through ``django.test.Client``: middleware, signature check and all),
reads each TwiML answer and does what Twilio would do next: the greeting's ``<Gather>`` (a menu digit, or no key
and the ``<Redirect>``), each wave's ``<Dial>`` (every provider's leg behaves as asked: accepts after the whisper,
does not answer, is busy, or lets voicemail pick up and hang up on the whisper), the ``<Dial action>`` with the
wave's ``DialCallStatus``, the callback offer, and finally the call's ``completed`` status callback.

Signatures: the views' ``twilio_webhook`` check runs unchanged. With ``TWILIO_AUTH_TOKEN`` configured, requests
are signed with it (the token never leaves the process). Without it (the demo, a site not yet connected to
Twilio), the run happens inside ``override_settings`` with a fresh random token and a dummy account SID, so the
webhooks are switched on for this process only while the simulation runs, and the settings are restored
afterwards. The production check is never weakened: a request without a valid signature is still refused.
A lock serialises runs, since ``override_settings`` swaps the process's settings.

Pretend calls leave nothing behind: the whole run happens in one database transaction that is rolled back at the
end, after the records were read. Reports, fair-share rotation credit, daily caps, provider notifications and
callback queues never see a simulated call. What ``simulate_call`` returns is a snapshot of the records as they
were at the end of the call (unsaved model instances: never save them).

Privacy: the caller's number is masked (all but its last two digits) in every URL, field and response shown,
and the callback request's encrypted number is never returned.
"""

from __future__ import annotations

import secrets
import threading
import uuid
import xml.etree.ElementTree as ET  # for the Element type; parsing goes through defusedxml
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from defusedxml.ElementTree import fromstring as defused_fromstring
from defusedxml.minidom import parseString as defused_parse_string
from django.conf import settings
from django.db import transaction
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils.translation import gettext as _
from twilio.request_validator import RequestValidator

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.providers.models import Provider
from clearline.routing.eligibility import FILTERS
from clearline.telephony.models import Attempt, Call, CallbackRequest, LineSlot
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.signatures import SIGNATURE_HEADER, signed_url

Behaviour = Literal["accept", "no-answer", "busy", "voicemail"]
BEHAVIOURS: tuple[Behaviour, ...] = ("accept", "no-answer", "busy", "voicemail")
# The behaviours key for a listing number's facility (its leg has no whisper: voicemail counts as answered).
FACILITY = "facility"
SIMULATOR_ACCOUNT_SID = "AC" + "0" * 32
WITHHELD = "anonymous"
MAX_STEPS = 60
TALK_S = 300
GREETING_S = 30

_lock = threading.Lock()


class SimulationError(Exception):
    """The simulation could not run (an unknown number, a malformed argument)."""


@dataclass(frozen=True)
class SimulatedStep:
    """One request Twilio would make, and the app's answer. Everything here is masked and safe to show."""

    label: str
    method: str
    url: str
    fields: tuple[tuple[str, str], ...]
    status_code: int
    body: str  # the TwiML, pretty-printed (empty for 204 status callbacks)
    then: str = ""  # what Twilio does with the answer, when it is not another request


@dataclass(frozen=True)
class TraceRow:
    provider_id: str
    name: str
    eligible: bool
    filters: tuple[tuple[str, bool], ...]  # aligned with ``SimulatedCall.filters``
    position: int | None  # 1-based place in the rotation order
    wave: int | None  # 1-based wave the provider is rung in
    callback_assignee: bool


@dataclass(frozen=True)
class SimulatedCall:
    call_sid: str
    steps: tuple[SimulatedStep, ...]
    call: Call | None
    attempts: tuple[Attempt, ...] = ()
    line_slots: tuple[LineSlot, ...] = ()
    callback: CallbackRequest | None = None
    trace_rows: tuple[TraceRow, ...] = ()
    filters: tuple[str, ...] = FILTERS
    signed_with: Literal["configured", "simulator"] = "simulator"
    masked_caller: str = ""

    @property
    def outcome(self) -> str:
        return self.call.outcome if self.call is not None else ""

    @property
    def seed(self) -> int | None:
        return self.call.trace.get("seed") if self.call is not None else None


def new_call_sid() -> str:
    """Twilio's shape: ``CA`` and 32 hex digits."""
    return "CA" + uuid.uuid4().hex


def mask_number(number: str) -> str:
    """All but the last two characters hidden: ``+12065550177`` -> ``••••••••••77``."""
    if len(number) <= 2:
        return "•" * len(number)
    return "•" * (len(number) - 2) + number[-2:]


def pretty_xml(body: str) -> str:
    """TwiML indented for reading; anything that does not parse is returned as it is."""
    if not body.strip():
        return ""
    try:
        pretty = defused_parse_string(body).toprettyxml(indent="  ")
    except Exception:
        return body
    return "\n".join(line for line in pretty.splitlines() if line.strip())


def trace_rows(trace: Mapping[str, Any]) -> tuple[TraceRow, ...]:
    """The decision trace as rows: each provider considered, its filters, its place in the order and waves."""
    verdicts = trace.get("providers") or []
    order = [str(p) for p in trace.get("order") or []]
    waves = [[str(p) for p in wave] for wave in trace.get("waves") or []]
    ids = [str(v["id"]) for v in verdicts]
    names = {
        str(pk): name
        for pk, name in Provider.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
            "pk", "name"
        )
    }
    rows = []
    for verdict in verdicts:
        provider_id = str(verdict["id"])
        results = verdict.get("filters", {})
        rows.append(
            TraceRow(
                provider_id=provider_id,
                name=names.get(provider_id, provider_id),
                eligible=bool(verdict.get("eligible")),
                filters=tuple((name, bool(results.get(name))) for name in FILTERS),
                position=order.index(provider_id) + 1 if provider_id in order else None,
                wave=next((i + 1 for i, wave in enumerate(waves) if provider_id in wave), None),
                callback_assignee=str(trace.get("callback_provider")) == provider_id,
            )
        )
    rows.sort(key=lambda r: (r.position is None, r.position or 0, r.name))
    return tuple(rows)


@contextmanager
def signing_token() -> Iterator[tuple[str, str, Literal["configured", "simulator"]]]:
    """The token and account SID to sign with: the configured ones, or a random per-run token switched on for
    this process (``override_settings``) only while the simulation runs."""
    token = getattr(settings, "TWILIO_AUTH_TOKEN", None)
    if token:
        yield token, getattr(settings, "TWILIO_ACCOUNT_SID", None) or SIMULATOR_ACCOUNT_SID, "configured"
        return
    token = secrets.token_hex(32)
    with override_settings(TWILIO_AUTH_TOKEN=token, TWILIO_ACCOUNT_SID=SIMULATOR_ACCOUNT_SID):
        yield token, SIMULATOR_ACCOUNT_SID, "simulator"


def simulate_call(
    *,
    number: str,
    caller: str,
    caller_state: str,
    behaviours: Mapping[str, str],
    menu_digit: str = "",
    callback: bool = True,
    host: str = "testserver",
    secure: bool = False,
    call_sid: str | None = None,
) -> SimulatedCall:
    """Place one pretend call to ``number`` through the real webhooks and return every step and the records.

    ``caller`` is the caller ID (E.164 or anything ``normalize_e164`` reads; ``"anonymous"`` or empty for a
    withheld one). ``behaviours`` maps provider ids (and ``FACILITY`` for listing numbers) to ``"accept"``,
    ``"no-answer"``, ``"busy"`` or ``"voicemail"``; a provider not named does not answer. ``menu_digit`` is what
    the caller presses during the greeting (``"9"`` crisis line, ``"0"`` free helpline, ``"2"`` Spanish, ``""``
    nothing); ``callback`` whether the caller presses 1 when offered a callback. ``host`` and ``secure`` are those
    of the request the simulated webhooks appear to come in on (an allowed host: the simulator page passes its
    own request's). ``call_sid`` replays a decision: the tie-break seed derives from it, and nothing a run writes
    is kept, so the same CallSid gives the same plan while nothing else changed (a fresh one by default).
    """
    unknown = {b for b in behaviours.values() if b not in BEHAVIOURS}
    if unknown:
        raise SimulationError(f"Unknown behaviour(s): {', '.join(sorted(unknown))}")
    if menu_digit not in ("", "0", "2", "9"):
        raise SimulationError("The menu digit must be empty, 0, 2 or 9.")
    if caller.strip().lower() in ("", WITHHELD):
        caller = WITHHELD
    else:
        try:
            caller = normalize_e164(caller)
        except InvalidPhoneNumber:
            raise SimulationError("The caller's number is not a phone number.") from None  # never echo it
    with _lock, signing_token() as (token, account_sid, signed_with):
        run = _Run(
            token=token,
            account_sid=account_sid,
            number=number,
            caller=caller,
            caller_state=caller_state,
            behaviours=dict(behaviours),
            menu_digit=menu_digit,
            callback=callback,
            host=host,
            secure=secure,
            call_sid=call_sid or new_call_sid(),
        )
        with transaction.atomic():
            run.play()
            result = run.snapshot(signed_with)
            transaction.set_rollback(True)
    return result


@dataclass
class _Run:
    token: str
    account_sid: str
    number: str
    caller: str
    caller_state: str
    behaviours: dict[str, str]
    menu_digit: str
    callback: bool
    host: str
    secure: bool
    call_sid: str = field(default_factory=new_call_sid)
    steps: list[SimulatedStep] = field(default_factory=list)
    menu_digit_used: bool = False
    ring_s: int = 0
    connected: bool = False

    def __post_init__(self) -> None:
        self.client = Client(raise_request_exception=False, HTTP_HOST=self.host)
        origin_request = RequestFactory().get("/", HTTP_HOST=self.host, secure=self.secure)
        self.origin = signed_url(origin_request).rstrip("/")
        self.paths = {
            name: reverse(f"telephony:{name}")
            for name in ("voice", "status", "menu", "callback", "number", "options", "whisper_accept")
        }

    # -- masking ------------------------------------------------------------------------------------------

    def mask(self, text: str) -> str:
        if self.caller == WITHHELD:
            return text
        digits = self.caller.lstrip("+")
        variants = {self.caller, digits, digits[1:] if digits.startswith("1") else digits}
        for variant in sorted(variants, key=len, reverse=True):
            if len(variant) >= 7:
                text = text.replace(variant, mask_number(variant))
        return text

    # -- requests -----------------------------------------------------------------------------------------

    def fields(self, **extra: str) -> dict[str, str]:
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": self.call_sid,
            "Direction": "inbound",
            "From": self.caller,
            "Caller": self.caller,
            "To": self.number,
            "Called": self.number,
            "FromState": self.caller_state,
            "CallStatus": "in-progress",
            **extra,
        }

    def leg_fields(self, leg_sid: str, phone: str, **extra: str) -> dict[str, str]:
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": leg_sid,
            "ParentCallSid": self.call_sid,
            "Direction": "outbound-dial",
            "From": self.caller,
            "To": phone,
            "CallStatus": "in-progress",
            **extra,
        }

    def post(self, label: str, url: str, data: dict[str, str]) -> tuple[int, str]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        signature = RequestValidator(self.token).compute_signature(self.origin + path, data)
        response = self.client.post(path, data, secure=self.secure, headers={SIGNATURE_HEADER: signature})
        body = response.content.decode("utf-8", errors="replace")
        self.steps.append(
            SimulatedStep(
                label=label,
                method="POST",
                url=self.mask(path),
                fields=tuple((k, self.mask(v)) for k, v in data.items()),
                status_code=response.status_code,
                body=self.mask(pretty_xml(body)),
            )
        )
        return response.status_code, body

    def note(self, then: str) -> None:
        """What Twilio did with the last answer, when that was not another request."""
        if self.steps:
            last = self.steps[-1]
            joined = f"{last.then} {then}".strip()
            self.steps[-1] = SimulatedStep(
                last.label, last.method, last.url, last.fields, last.status_code, last.body, joined
            )

    # -- following the TwiML ------------------------------------------------------------------------------

    def play(self) -> None:
        status, body = self.post(_("A call comes in"), self.paths["voice"], self.fields(CallStatus="ringing"))
        self.follow(status, body)
        self.post(
            _("The caller hangs up: the call's status callback"),
            self.paths["status"],
            self.fields(CallStatus="completed", CallDuration=str(self.duration())),
        )

    def duration(self) -> int:
        return GREETING_S + self.ring_s + (TALK_S if self.connected else 0)

    def follow(self, status: int, body: str) -> None:
        for _step in range(MAX_STEPS):
            if status != 200:
                self.note(_("Twilio got no TwiML: it would play the number's fallback URL."))
                return
            try:
                root = defused_fromstring(body)
            except Exception:
                self.note(_("Twilio could not read this answer: it would play the number's fallback URL."))
                return
            following = self.perform(root)
            if following is None:
                return
            status, body = following
        self.note(_("The simulation stopped after %(n)s steps.") % {"n": MAX_STEPS})

    def perform(self, root: ET.Element) -> tuple[int, str] | None:
        """Run the verbs of one TwiML document; the next request's answer, or None when the call ends."""
        for verb in root:
            if verb.tag == "Gather":
                action = verb.get("action", "")
                digits = self.digits_for(action)
                if digits:
                    self.note(_("The caller presses %(digits)s.") % {"digits": digits})
                    return self.post(self.gather_label(action, digits), action, self.fields(Digits=digits))
                self.note(_("No key pressed."))
            elif verb.tag == "Redirect":
                return self.post(_("Twilio follows the <Redirect>"), (verb.text or "").strip(), self.fields())
            elif verb.tag == "Dial":
                if verb.get("action"):
                    return self.dial(verb)
                number = (verb.text or "").strip() or ", ".join(
                    (n.text or "").strip() for n in verb.findall("Number")
                )
                self.note(
                    _("Twilio connects the caller to %(number)s; the call ends there.") % {"number": number}
                )
                return None
            elif verb.tag == "Hangup":
                self.note(_("Twilio hangs up."))
                return None
        self.note(_("The TwiML ends: Twilio hangs up."))
        return None

    def route(self, url: str) -> str:
        path = urlsplit(url).path
        return next((name for name, p in self.paths.items() if p == path), "")

    def digits_for(self, action: str) -> str:
        route = self.route(action)
        if route == "menu" and not self.menu_digit_used:
            self.menu_digit_used = True
            return self.menu_digit
        if route == "callback":
            return twiml.CALLBACK_DIGIT if self.callback else ""
        return ""  # the options after a callback, a typed number, the fallback's crisis key: no key

    def gather_label(self, action: str, digits: str) -> str:
        route = self.route(action)
        if route == "menu":
            return _("The caller presses %(digits)s during the greeting") % {"digits": digits}
        if route == "callback":
            return _("The caller presses %(digits)s to accept the callback offer") % {"digits": digits}
        return _("The caller presses %(digits)s") % {"digits": digits}

    def dial(self, verb: ET.Element) -> tuple[int, str]:
        """One ``<Dial>`` with an action: every leg behaves as asked, then Twilio posts the wave's result."""
        timeout = int(verb.get("timeout") or 30)
        numbers = verb.findall("Number")
        legs = [self.leg(n) for n in numbers]
        winner = None
        # Busy lines end at once; voicemail picks up after a few rings; acceptances race; the rest ring on.
        for leg in legs:
            if leg.behaviour == "busy":
                self.leg_status(leg, "busy")
        for leg in legs:
            if leg.behaviour == "voicemail":
                if leg.whisper:
                    self.post(
                        _("Voicemail answers %(name)s's phone: the whisper") % {"name": leg.name},
                        leg.whisper,
                        self.leg_fields(leg.sid, leg.phone, CallStatus="in-progress"),
                    )
                    self.note(_("Nobody presses 1: the whisper hangs up on the voicemail."))
                    self.leg_status(leg, "completed")
                else:
                    winner = winner or leg  # a facility's voicemail answers the call: there is no whisper
        for leg in legs:
            if leg.behaviour != "accept":
                continue
            if winner is not None:
                self.leg_status(leg, "canceled")
                continue
            if not leg.whisper:
                winner = leg
                continue
            status, body = self.post(
                _("%(name)s answers: the whisper") % {"name": leg.name},
                leg.whisper,
                self.leg_fields(leg.sid, leg.phone, CallStatus="in-progress"),
            )
            accept = self.whisper_action(body)
            if not accept:
                self.leg_status(leg, "completed")
                continue
            status, body = self.post(
                _("%(name)s presses 1 to accept") % {"name": leg.name},
                accept,
                self.leg_fields(leg.sid, leg.phone, CallStatus="in-progress", Digits=twiml.ACCEPT_DIGIT),
            )
            if status == 200 and "<Hangup" not in body:
                winner = leg
                self.note(_("Twilio bridges %(name)s and the caller.") % {"name": leg.name})
            else:
                self.note(_("Refused: the call was already taken; the leg hangs up."))
                self.leg_status(leg, "completed")
        for leg in legs:
            if leg.behaviour == "no-answer" or leg.behaviour not in BEHAVIOURS:
                self.leg_status(leg, "canceled" if winner is not None else "no-answer")
        if winner is not None:
            self.connected = True
            if winner.whisper:
                self.leg_status(winner, "completed", CallDuration=str(TALK_S))
            fields = self.fields(
                DialCallStatus="completed", DialCallSid=winner.sid, DialCallDuration=str(TALK_S)
            )
        else:
            self.ring_s += timeout
            everyone_busy = bool(legs) and all(leg.behaviour == "busy" for leg in legs)
            fields = self.fields(DialCallStatus="busy" if everyone_busy else "no-answer")
        return self.post(
            _("The <Dial> ends: Twilio posts its result (%(status)s)") % {"status": fields["DialCallStatus"]},
            verb.get("action", ""),
            fields,
        )

    def whisper_action(self, body: str) -> str:
        try:
            gather = defused_fromstring(body).find(".//Gather")
        except Exception:
            return ""
        return gather.get("action", "") if gather is not None else ""

    def leg(self, number: ET.Element) -> _Leg:
        phone = (number.text or "").strip()
        whisper = number.get("url", "")
        attempt_id = parse_qs(urlsplit(whisper or number.get("statusCallback", "")).query).get(
            twiml.ATTEMPT_PARAM, [""]
        )[0]
        attempt = (
            Attempt.objects.select_related("provider").filter(pk=int(attempt_id)).first()
            if attempt_id.isdigit()
            else None
        )
        if attempt is not None:
            provider_id, name = str(attempt.provider_id), attempt.provider.name
        else:
            provider_id, name = FACILITY, _("the listed facility")
        return _Leg(
            sid=new_call_sid(),
            phone=phone,
            name=name,
            behaviour=self.behaviours.get(provider_id, "accept" if provider_id == FACILITY else "no-answer"),
            whisper=whisper,
            status_callback=number.get("statusCallback", ""),
        )

    def leg_status(self, leg: _Leg, status: str, **extra: str) -> None:
        if not leg.status_callback:
            return
        self.post(
            _("%(name)s's leg reports %(status)s") % {"name": leg.name, "status": status},
            leg.status_callback,
            self.leg_fields(leg.sid, leg.phone, CallStatus=status, **extra),
        )

    # -- the records --------------------------------------------------------------------------------------

    def snapshot(self, signed_with: Literal["configured", "simulator"]) -> SimulatedCall:
        call = (
            Call.objects.select_related("helpline", "disclosure_version", "connected_provider")
            .filter(call_sid=self.call_sid)
            .first()
        )
        if call is None:
            return SimulatedCall(
                self.call_sid, tuple(self.steps), None, signed_with=signed_with, masked_caller=self.masked()
            )
        callback = CallbackRequest.objects.select_related("provider", "call").filter(call=call).first()
        if callback is not None:
            callback.encrypted_number = ""  # never shown; this instance is a snapshot and is never saved
        return SimulatedCall(
            call_sid=self.call_sid,
            steps=tuple(self.steps),
            call=call,
            attempts=tuple(
                Attempt.objects.select_related("provider", "call")
                .filter(call=call)
                .order_by("step_index", "pk")
            ),
            line_slots=tuple(
                LineSlot.objects.select_related("provider", "call").filter(call=call).order_by("pk")
            ),
            callback=callback,
            trace_rows=trace_rows(call.trace),
            signed_with=signed_with,
            masked_caller=self.masked(),
        )

    def masked(self) -> str:
        return _("withheld") if self.caller == WITHHELD else mask_number(self.caller)


@dataclass(frozen=True)
class _Leg:
    sid: str
    phone: str
    name: str
    behaviour: str
    whisper: str
    status_callback: str
