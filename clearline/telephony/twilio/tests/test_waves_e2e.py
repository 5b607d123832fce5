"""Whole calls in the queue shape, end to end over HTTP: Clearline served by a live server, and a small stand-in
for Twilio on 127.0.0.1 that takes the Calls requests and plays each provider's leg (status callbacks, the
whisper, the whisper's 1), signing every request as Twilio does. The test itself plays the caller's side.

Every request to Clearline goes through one lock: with SQLite the live server shares one connection between
its threads, so requests must not overlap (Twilio's would; the PostgreSQL pass has a connection each)."""

from __future__ import annotations

import json
import threading
import time
import uuid
import xml.etree.ElementTree as ET  # for the Element type; parsing goes through defusedxml
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests
from defusedxml.ElementTree import fromstring
from django.db import OperationalError, connections
from twilio.request_validator import RequestValidator

from clearline.routing import FREE_HELPLINE_NUMBER as FREE_HELPLINE
from clearline.routing import Dial
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome, LineSlot
from clearline.telephony.services import legs as leg_state
from clearline.telephony.tests.conftest import HELPLINE, helpline, providers  # noqa: F401 - fixtures

TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
CALLER = "+12065550177"
WAIT_S = 10.0

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("helpline", "providers")]


class App:
    """Clearline as Twilio reaches it: signed form posts, one at a time."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.lock = threading.Lock()

    def post(self, url: str, **fields: str) -> ET.Element | None:
        if url.startswith("/"):
            url = self.origin + url
        signature = RequestValidator(TOKEN).compute_signature(url, fields)
        with self.lock:
            response = requests.post(url, data=fields, headers={"X-Twilio-Signature": signature}, timeout=10)
        assert response.status_code in (200, 204), (url, response.status_code, response.text[:300])
        return fromstring(response.content) if response.status_code == 200 else None


@dataclass
class Leg:
    sid: str
    to: str
    url: str
    status_callback: str
    events: list[str]
    timeout: str
    ended: threading.Event = field(default_factory=threading.Event)
    answered: bool = False


class StandIn:
    """Twilio's REST API (Calls create and update, Queues delete) on 127.0.0.1, and each leg's behaviour:
    ``behaviour(leg)`` returns "busy", "no-answer", "voicemail", "person" or "ring" (rings until hung up).
    ``delay_s``: how long each REST request takes (a slow round trip to api.twilio.com)."""

    def __init__(self, app: App, behaviour: Callable[[Leg, StandIn], str], delay_s: float = 0.0) -> None:
        self.app, self.behaviour, self.delay_s = app, behaviour, delay_s
        self.legs: list[Leg] = []
        self.hung_up: list[str] = []
        self.deleted_queues: list[str] = []
        self.bridged: dict[str, str] = {}  # queue name -> the leg that took the caller out of it
        self.errors: list[BaseException] = []
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                time.sleep(stand_in.delay_s)
                assert self.headers["Authorization"].startswith("Basic ")
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                self.reply(stand_in.rest(self.path, parse_qs(body)))

            def do_DELETE(self) -> None:
                time.sleep(stand_in.delay_s)
                stand_in.deleted_queues.append(self.path.rsplit("/", 1)[-1].removesuffix(".json"))
                self.send_response(204)
                self.end_headers()

            def reply(self, payload: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(201 if "status" in payload and payload["status"] == "queued" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 64  # Twilio takes every request at once; the default backlog of 5 does not
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the REST API -------------------------------------------------------------------------------------------

    def rest(self, path: str, form: dict[str, list[str]]) -> dict[str, str]:
        prefix = f"/2010-04-01/Accounts/{ACCOUNT}/Calls"
        assert path.startswith(prefix), path
        if path == prefix + ".json":
            leg = Leg(
                sid="CA" + uuid.uuid4().hex,
                to=form["To"][0],
                url=form["Url"][0],
                status_callback=form["StatusCallback"][0],
                events=form["StatusCallbackEvent"],
                timeout=form["Timeout"][0],
            )
            assert form["From"] == [HELPLINE] and form["Method"] == ["POST"]
            with self.lock:
                self.legs.append(leg)
            player = threading.Thread(target=self.play, args=(leg,), daemon=True)
            self.threads.append(player)
            player.start()
            return {"sid": leg.sid, "status": "queued"}
        sid = path.removeprefix(prefix + "/").removesuffix(".json")
        assert form["Status"] == ["completed"]
        with self.lock:
            self.hung_up.append(sid)
        for leg in self.legs:
            if leg.sid == sid:
                leg.ended.set()
        return {"sid": sid, "status": "completed"}

    # -- a leg --------------------------------------------------------------------------------------------------

    def play(self, leg: Leg) -> None:
        try:
            self._play(leg)
        except BaseException as error:  # shown by the test, not lost in a thread
            self.errors.append(error)
        finally:
            connections.close_all()  # a behaviour may have read the database from this thread

    def status(self, leg: Leg, status: str, **extra: str) -> None:
        fields = {
            "CallSid": leg.sid,
            "AccountSid": ACCOUNT,
            "From": HELPLINE,
            "To": leg.to,
            "CallStatus": status,
        }
        self.app.post(leg.status_callback, **fields, Direction="outbound-api", **extra)

    def leg_post(self, leg: Leg, url: str, **extra: str) -> ET.Element | None:
        fields = {"CallSid": leg.sid, "AccountSid": ACCOUNT, "From": HELPLINE, "To": leg.to}
        return self.app.post(url, **fields, CallStatus="in-progress", Direction="outbound-api", **extra)

    def _play(self, leg: Leg) -> None:
        behaviour = self.behaviour(leg, self)
        self.status(leg, "initiated")
        if behaviour == "busy":
            self.status(leg, "busy")
            return
        self.status(leg, "ringing")
        if behaviour == "no-answer":
            self.status(leg, "no-answer")
            return
        if behaviour == "ring":
            assert leg.ended.wait(WAIT_S), "a leg that rings on was never hung up"
            self.status(leg, "canceled")
            return
        if leg.ended.is_set():
            self.status(leg, "canceled")
            return
        leg.answered = True
        self.status(leg, "in-progress")
        whisper = self.leg_post(leg, leg.url)
        assert whisper is not None and whisper.find("Gather") is not None
        if (
            behaviour == "voicemail"
        ):  # listens to the whisper, never presses 1: the Gather times out, <Hangup/>
            self.status(leg, "completed", CallDuration="20")
            return
        taken = self.leg_post(leg, whisper.find("Gather").get("action"), Digits="1")
        queue = taken.find("Dial/Queue") if taken is not None else None
        if queue is not None:
            self.bridged[queue.text] = leg.sid
            leg.ended.wait(WAIT_S)  # the conversation, until the test ends the call
        self.status(leg, "completed", CallDuration="300")


@pytest.fixture
def queue_shaped(settings, live_server) -> Iterator[Callable[..., StandIn]]:
    """``queue_shaped(behaviour, delay_s=0.0)`` starts a stand-in. The webhook deadline is the production one
    (700 ms on PostgreSQL): the legs' REST requests do not count against it (``faults.deadline_paused``)."""
    settings.TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.CLEARLINE_PUBLIC_URL = ""
    settings.CLEARLINE_TWILIO_WAVES = "queue"
    app = App(live_server.url)
    made: list[StandIn] = []

    def start(behaviour: Callable[[Leg, StandIn], str], delay_s: float = 0.0) -> StandIn:
        stand_in = StandIn(app, behaviour, delay_s)
        settings.TWILIO_API_ROOT = stand_in.root
        made.append(stand_in)
        return stand_in

    yield start
    for stand_in in made:  # every leg ends and reports it while Clearline is still configured
        for leg in stand_in.legs:
            leg.ended.set()
        for player in stand_in.threads:
            player.join(WAIT_S)
        stand_in.close()
        assert not stand_in.errors, stand_in.errors


class Caller:
    """The caller's side of Twilio: the greeting, the menu, each wave's queue, whatever comes after."""

    def __init__(self, stand_in: StandIn) -> None:
        self.stand_in, self.app = stand_in, stand_in.app
        self.sid = "CA" + uuid.uuid4().hex
        self.waves = 0

    def post(self, url: str, **fields: str) -> ET.Element:
        base = {"CallSid": self.sid, "AccountSid": ACCOUNT, "From": CALLER, "To": HELPLINE}
        root = self.app.post(url, **base, CallStatus="in-progress", Direction="inbound", **fields)
        assert root is not None
        return root

    def call(self) -> ET.Element:
        """From the call coming in to the first answer that is neither a wave nor its announcement."""
        greeting = self.post("/telephony/twilio/voice")
        root = self.post(greeting.find("Gather").get("action"), Digits="")
        while True:
            if root.find("Enqueue") is not None:
                root = self.wait_in_queue(root.find("Enqueue"))
            elif root.find("Redirect") is not None and "wave-keys" in root.find("Redirect").text:
                root = self.post(root.find("Redirect").text)  # the announcement, no key: the wave rings
            else:
                return root

    def wait_in_queue(self, enqueue: ET.Element) -> ET.Element:
        self.waves += 1
        deadline = time.monotonic() + WAIT_S
        queue_sid = "QU" + uuid.uuid4().hex
        while time.monotonic() < deadline:
            self.check()
            if enqueue.text in self.stand_in.bridged:
                return self.post(
                    enqueue.get("action"), QueueResult="bridged", QueueSid=queue_sid, QueueTime="9"
                )
            hold = self.post(enqueue.get("waitUrl"), QueueSid=queue_sid, QueuePosition="1", QueueTime="1")
            if hold.find("Leave") is not None:
                return self.post(
                    enqueue.get("action"), QueueResult="leave", QueueSid=queue_sid, QueueTime="9"
                )
            assert [v.tag for v in hold] == ["Pause"]
            time.sleep(0.02)
        raise AssertionError("the caller was never taken out of the queue")

    def check(self) -> None:
        if self.stand_in.errors:
            raise self.stand_in.errors[0]

    def hang_up(self) -> None:
        base = {"CallSid": self.sid, "AccountSid": ACCOUNT, "From": CALLER, "To": HELPLINE}
        self.app.post("/telephony/twilio/status", **base, CallStatus="completed", CallDuration="60")


def waves_of(call: Call) -> list[list[str]]:
    """The phones of each wave of the call's plan, in order."""
    return [[t.phone for t in s.targets] for s in call.routing_plan.steps if isinstance(s, Dial)]


def settle(stand_in: StandIn, until: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not until():
        assert time.monotonic() < deadline, "the stand-in never got there"
        if stand_in.errors:
            raise stand_in.errors[0]
        time.sleep(0.02)


def test_a_voicemail_answering_first_does_not_end_the_wave_and_the_person_after_it_is_bridged(queue_shaped):
    voicemail_done = threading.Event()

    def behaviour(leg: Leg, stand_in: StandIn) -> str:
        first = stand_in.legs[0] is leg
        if not first:  # the person picks up only after the voicemail answered, heard the whisper and hung up
            assert voicemail_done.wait(WAIT_S)
        return "voicemail" if first else "person"

    stand_in = queue_shaped(behaviour)
    caller = Caller(stand_in)
    original = stand_in.status

    def status(leg: Leg, value: str, **extra: str) -> None:
        original(leg, value, **extra)
        if leg is stand_in.legs[0] and value == "completed":
            voicemail_done.set()

    stand_in.status = status  # type: ignore[method-assign]
    end = caller.call()
    assert caller.waves == 1
    assert [v.tag for v in end] == ["Hangup"]  # the conversation is over

    call = Call.objects.get(call_sid=caller.sid)
    first_wave = waves_of(call)[0]
    assert len(first_wave) == 2 and sorted(leg.to for leg in stand_in.legs) == sorted(first_wave)
    voicemail, person = stand_in.legs
    assert voicemail.answered and person.answered
    assert voicemail.events == ["initiated", "ringing", "answered", "completed"]
    wave = next(s for s in call.routing_plan.steps if isinstance(s, Dial))
    assert voicemail.timeout == person.timeout == str(wave.ring_timeout_s)
    assert call.outcome == CallOutcome.CONNECTED
    attempts = {a.leg_sid: a for a in Attempt.objects.filter(call=call)}
    assert attempts[person.sid].status == AttemptStatus.ACCEPTED
    assert call.connected_provider_id == attempts[person.sid].provider_id
    # Its leg was over; the 1 then stopped the wave's other attempts (services.accept_attempt), as with <Dial>.
    assert attempts[voicemail.sid].status == AttemptStatus.CANCELED
    assert person.sid not in stand_in.hung_up  # nothing ended the winner's leg
    settle(stand_in, lambda: len(stand_in.deleted_queues) == 1)
    caller.hang_up()
    assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()


def test_every_leg_busy_rings_the_next_wave(queue_shaped):
    def behaviour(leg: Leg, stand_in: StandIn) -> str:
        call = Call.objects.get()
        return "busy" if leg.to in waves_of(call)[0] else "person"

    stand_in = queue_shaped(behaviour)
    caller = Caller(stand_in)
    caller.call()
    call = Call.objects.get()
    first, second = waves_of(call)[:2]
    assert caller.waves == 2
    assert sorted(leg.to for leg in stand_in.legs[: len(first)]) == sorted(first)
    assert sorted(leg.to for leg in stand_in.legs[len(first) :]) == sorted(second)
    assert call.outcome == CallOutcome.CONNECTED
    busy = Attempt.objects.filter(call=call, leg_sid__in=[leg.sid for leg in stand_in.legs[: len(first)]])
    assert set(busy.values_list("status", flat=True)) == {AttemptStatus.BUSY}


def test_nobody_pressing_1_ends_at_the_callback_offer_with_every_line_given_back(queue_shaped):
    def behaviour(leg: Leg, stand_in: StandIn) -> str:
        return "voicemail" if len(stand_in.legs) % 2 else "no-answer"

    stand_in = queue_shaped(behaviour)
    caller = Caller(stand_in)
    offer = caller.call()
    call = Call.objects.get()
    assert caller.waves == len(waves_of(call)) >= 2
    assert "call you back" in " ".join(s.text or "" for s in offer.iter("Say"))
    assert "/telephony/twilio/callback" in offer.find("Gather").get("action")
    assert len(stand_in.legs) == sum(len(w) for w in waves_of(call))
    assert not Attempt.objects.filter(call=call, status=AttemptStatus.RINGING).exists()
    assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()
    assert call.outcome == CallOutcome.PENDING


def test_the_caller_hanging_up_in_the_queue_hangs_up_every_leg_and_frees_the_lines(queue_shaped):
    stand_in = queue_shaped(lambda leg, stand_in: "ring")
    caller = Caller(stand_in)
    greeting = caller.post("/telephony/twilio/voice")
    menu = greeting.find("Gather").get("action")
    enqueue = caller.post(menu, Digits="").find("Enqueue")
    again = caller.post(menu, Digits="").find("Enqueue")  # Twilio retried the webhook: the same legs, once
    assert again is not None and again.attrib == enqueue.attrib
    call = Call.objects.get()
    settle(stand_in, lambda: len(stand_in.legs) == len(waves_of(call)[0]))
    hold = caller.post(enqueue.get("waitUrl"), QueueSid="QU" + "1" * 32)
    assert [v.tag for v in hold] == ["Pause"]

    caller.post(enqueue.get("action"), QueueResult="hangup", QueueSid="QU" + "1" * 32)
    caller.hang_up()
    # Every leg is hung up; one may be twice (the queue's end, then its own late "ringing"): harmless.
    settle(stand_in, lambda: set(stand_in.hung_up) == {leg.sid for leg in stand_in.legs})
    assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()
    assert len(stand_in.legs) == len(waves_of(call)[0])  # no leg was started twice, no other wave rang
    # Nothing was offered to anyone after the caller left, and nobody counts as leaving an offer unanswered (a
    # leg's own "canceled", after its hang-up, keeps the reason the wave's end gave: the caller left).
    first_wave = next(s.index for s in call.routing_plan.steps if isinstance(s, Dial))
    assert set(Attempt.objects.values_list("step_index", flat=True)) == {first_wave}
    assert set(Attempt.objects.values_list("status", flat=True)) == {AttemptStatus.CALL_ENDED}
    settle(stand_in, lambda: all(leg.ended.is_set() for leg in stand_in.legs))


def test_a_slow_rest_api_does_not_send_the_caller_to_the_fallback(queue_shaped, settings):
    """Each REST request takes longer than the whole webhook deadline (700 ms, PostgreSQL): the legs start, the
    caller waits in the queue and is bridged, as with a fast API (the deadline only counts the database's time)."""
    assert settings.CLEARLINE_WEBHOOK_DEADLINE_MS == 700
    stand_in = queue_shaped(
        lambda leg, stand_in: "person" if stand_in.legs[0] is leg else "ring", delay_s=0.9
    )
    caller = Caller(stand_in)
    greeting = caller.post("/telephony/twilio/voice")
    started = time.monotonic()
    wave = caller.post(greeting.find("Gather").get("action"), Digits="")
    assert time.monotonic() - started >= 0.9  # the webhook did wait for the REST requests
    assert [v.tag for v in wave] == ["Enqueue"]  # not the fallback
    call = Call.objects.get()
    assert sorted(leg.to for leg in stand_in.legs) == sorted(waves_of(call)[0])
    end = caller.wait_in_queue(wave.find("Enqueue"))
    assert [v.tag for v in end] == ["Hangup"]
    call.refresh_from_db()
    assert call.outcome == CallOutcome.CONNECTED


def test_legs_started_by_a_webhook_that_then_fails_are_hung_up(queue_shaped, monkeypatch):
    """The legs rang, then the webhook failed (here: recording their CallSids): the caller gets the fallback,
    and no provider's phone rings on for a caller who is not in the queue."""

    def database_fails(attempt_id: int, leg_sid: str) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(leg_state, "record_leg_sid", database_fails)
    stand_in = queue_shaped(lambda leg, stand_in: "ring")
    caller = Caller(stand_in)
    greeting = caller.post("/telephony/twilio/voice")
    answer = caller.post(greeting.find("Gather").get("action"), Digits="")
    assert answer.find("Enqueue") is None
    assert FREE_HELPLINE in [(d.text or "").strip() for d in answer.iter("Dial")]  # the fallback
    call = Call.objects.get()
    assert len(stand_in.legs) == len(waves_of(call)[0])
    settle(stand_in, lambda: sorted(stand_in.hung_up) == sorted(leg.sid for leg in stand_in.legs))
