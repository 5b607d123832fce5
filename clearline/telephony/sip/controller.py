"""The call controller: pjsua2 (PJSIP's user agent, with media) around the call logic of ``session.py``.

One SIP thread owns every pjsua2 object: it polls pjsua (``libHandleEvents``; pjsua runs no thread of its own
for SIP), runs the timers, and applies the results of the flow threads. The flow threads run the call-flow events
(the database work, ``events.py``) and render prompts, never touching pjsua2, so a slow database never holds up
another call's audio or keys. Media (RTP, the conference bridge that plays prompts and bridges legs) runs on
pjmedia's own clock thread.

SIP and RTP bind to ``ControllerConfig.host``; OPTIONS (Kamailio's dispatcher probes) are answered by pjsua.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pjsua2 as pj

from clearline.telephony.sip import events
from clearline.telephony.sip.capacity import Slots
from clearline.telephony.sip.config import ControllerConfig
from clearline.telephony.sip.legs import LegListener
from clearline.telephony.sip.loop import Loop
from clearline.telephony.sip.prompts import Phrase, PromptError, Prompts, duration_s
from clearline.telephony.sip.runner import Clock
from clearline.telephony.sip.script import (
    Gather,
    Say,
    Verb,
    fallback_crisis_script,
    fallback_script,
)
from clearline.telephony.sip.session import Session
from clearline.telephony.sip.sipcall import Account, Caller, SipLeg

logger = logging.getLogger(__name__)

# An ended leg's Python object is kept this long after its end (never dropped inside a callback).
KEEP_ENDED_S = 30.0
# On SIGTERM, how long the controller waits for the calls it hung up to end and their last events to be applied.
STOP_WAIT_S = 10.0


class Controller(Loop):
    """The pjsua2 endpoint, the SIP thread's loop, and the ``Runtime`` the sessions use (``legs.py``)."""

    def __init__(self, config: ControllerConfig, flow_lock: threading.Lock | None = None) -> None:
        super().__init__(flow_lock)
        self.config = config
        self.trunk = config.trunk
        self.clock: Clock = self
        self.prompts = Prompts(config.prompts_dir)
        self.sessions: dict[str, Session] = {}
        self.stopping = threading.Event()
        self.ready = threading.Event()
        self._retired: deque[tuple[float, SipLeg]] = deque()
        self.live: set[SipLeg] = set()  # every leg not yet over (its SIP call not disconnected)
        self._durations: dict[Path, float] = {}
        self._ringback: Path | None = None
        self.endpoint: Any = None
        self.account: Any = None
        self.slots = Slots(config.max_calls)

    # --- life ---

    def run(self) -> None:
        """Start pjsua, serve calls until ``stop()``, then end every call and stop pjsua (SIP thread)."""
        self._start()
        self.ready.set()
        try:
            while not self.stopping.is_set():
                self.poll()
        finally:
            self._shut_down()

    def stop(self) -> None:
        self.stopping.set()

    def _start(self) -> None:
        config = self.config
        self.prepare_fixed_prompts()
        ep = pj.Endpoint()
        ep.libCreate()
        ep_config = pj.EpConfig()
        ep_config.uaConfig.threadCnt = 0
        ep_config.uaConfig.mainThreadOnly = False
        ep_config.uaConfig.maxCalls = config.max_calls
        ep_config.uaConfig.userAgent = "Clearline call controller"
        ep_config.logConfig.level = ep_config.logConfig.consoleLevel = 1
        media = ep_config.medConfig
        media.clockRate = media.sndClockRate = 8000
        media.noVad, media.ecTailLen = True, 0
        media.maxMediaPorts = max(config.max_calls * 4, 254)
        ep.libInit(ep_config)
        self.slots = Slots(config.max_calls)
        self.slots.warn_if_capped()
        transport = pj.TransportConfig()
        transport.port, transport.boundAddress, transport.publicAddress = (
            config.port,
            config.host,
            config.host,
        )
        ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
        ep.audDevManager().setNullDev()
        ep.libStart()
        for codec in ep.codecEnum2():
            keep = codec.codecId.startswith(("PCMU/", "PCMA/", "telephone-event"))
            ep.codecSetPriority(
                codec.codecId, 255 if codec.codecId.startswith("PCMU/") else 254 if keep else 0
            )
        account_config = pj.AccountConfig()
        account_config.idUri = f"sip:clearline@{config.host}:{config.port}"
        rtp = account_config.mediaConfig.transportConfig
        rtp.port, rtp.boundAddress, rtp.publicAddress = config.rtp_port, config.host, config.host
        rtp.portRange = max(config.max_calls * 4, 100)
        self.endpoint = ep
        self.account = Account(self)
        self.account.create(account_config, True)
        self.start_jobs(config.flow_threads, initializer=self._flow_thread)
        logger.info(
            "SIP call controller on udp %s:%s, RTP from %s, %s SIP calls at once (a caller is taken with %s free)",
            config.host,
            config.port,
            config.rtp_port,
            self.slots.limit,
            1 + config.reserve_legs,
        )

    def _flow_thread(self) -> None:
        # A pjsua2 object may be freed on any thread that drops the last reference: let pjlib know this one.
        self.endpoint.libRegisterThread(threading.current_thread().name)

    def prepare_fixed_prompts(self) -> None:
        """Render what must play with the database down (the fallback, in both languages) and the ring-back."""
        for language in ("en", "es"):
            self.render(fallback_script(language))
            self.render(fallback_crisis_script(language))
        try:
            self._ringback = self.prompts.ringback()
        except PromptError:
            logger.exception("No ring-back tone: callers hear silence while a wave rings")

    def _shut_down(self) -> None:
        for session in list(self.sessions.values()):
            session.caller.hang_up()
        # Until every leg has ended (its BYE or CANCEL answered) and every status and wave end it caused has been
        # applied, or kept in the event journal when the database fails: jobs still queued at stop_jobs() are
        # dropped, so stopping early would lose the calls' last events.
        deadline = time.monotonic() + STOP_WAIT_S
        while time.monotonic() < deadline and (self.sessions or self.busy or self.live):
            self.poll()
        if self.sessions or self.busy or self.live:
            logger.warning(
                "SIP controller stopping with %s calls, %s legs still up: their last events are lost",
                len(self.sessions),
                len(self.live),
            )
        self.stop_jobs()
        self._retired.clear()
        self.sessions.clear()
        gc.collect()  # every SipLeg freed now: pjsua2 asserts when a Call is freed after libDestroy
        if self.account is not None:
            self.account.shutdown()
        if self.endpoint is not None:
            self.endpoint.libDestroy()
        # pjsua2 allows one Endpoint per process until the last one is freed: drop it here, so a controller can
        # start again in this process (the tests start one per module).
        self.account = self.endpoint = None
        gc.collect()

    # --- the SIP thread's loop ---

    def poll(self) -> None:
        self.endpoint.libHandleEvents(self.wait_ms())
        self.run_due()
        now = time.monotonic()
        while self._retired and self._retired[0][0] <= now:
            self._retired.popleft()

    def retire(self, leg: SipLeg) -> None:
        self.live.discard(leg)
        self._retired.append((time.monotonic() + KEEP_ENDED_S, leg))

    # --- Runtime (legs.py) ---

    def jobs_done(self, owner: Any) -> None:
        if isinstance(owner, Session) and owner.ended:
            self.sessions.pop(owner.facts.call_sid, None)

    def dial(self, uri: str, listener: LegListener, caller_id: str | None = None) -> SipLeg | None:
        leg = SipLeg(self)
        leg.listener = listener
        param = pj.CallOpParam(True)
        param.opt.audioCount, param.opt.videoCount = 1, 0
        if caller_id:  # the From header; the account's URI otherwise
            param.txOption.localUri = f"<sip:{caller_id}@{self.config.host}:{self.config.port}>"
        leg.uri = uri
        try:
            leg.makeCall(uri, param)
        except pj.Error as error:
            logger.warning("SIP leg could not be placed: %s", error.info())
            leg.listener, leg.ended = None, True
            leg.thisown = False  # as an ended leg (sipcall.py): never freed
            self.live.discard(leg)
            return None
        return leg

    def prompt_files(self, phrases: Sequence[Phrase]) -> tuple[Path, float] | None:
        try:
            path = self.prompts.wav(phrases)
        except PromptError:
            logger.exception("A prompt could not be rendered; the call goes on without it")
            return None
        seconds = self._durations.get(path)
        if seconds is None:
            seconds = self._durations[path] = duration_s(path)
        return path, seconds

    def ringback(self) -> Path | None:
        return self._ringback

    def render(self, verbs: Sequence[Verb]) -> None:
        for verb in verbs:
            if isinstance(verb, (Say, Gather)) and verb.phrases:
                try:
                    self.prompts.wav(verb.phrases)
                except PromptError:
                    logger.exception("A prompt could not be rendered")

    # --- calls coming in ---

    def has_room(self) -> bool:
        """Whether a new caller fits among pjsua's slots: their leg and a wave's (``reserve_legs``), once every
        call already here that may still ring a wave or a transfer (none is up right now) has its own wave's."""
        used = self.slots.used
        if used is None:
            used = len(self.live)
        reserve = self.config.reserve_legs
        promised = sum(
            reserve
            for session in self.sessions.values()
            if not session.ended
            and session.wave is None
            and session.bridged is None
            and session.transfer is None
        )
        return used + promised + 1 + reserve <= self.slots.limit

    def incoming(self, call_id: int, message: str) -> None:
        leg = SipLeg(self, call_id)
        if not self.has_room():
            # 486: Kamailio tries the next controller at once (a 5xx would mark this one down).
            self._turn_away(leg)
            return
        facts = events.invite_facts(message, leg.getInfo().callIdString)
        session = Session(facts, leg, self)
        leg.listener = Caller(session)
        self.sessions[facts.call_sid] = session
        param = pj.CallOpParam()
        param.statusCode = 200
        try:
            leg.answer(param)
        except pj.Error as error:
            logger.error("SIP call could not be answered: %s", error.info())
            return
        session.start()

    def _turn_away(self, leg: SipLeg) -> None:
        logger.info("SIP call turned away: this controller is full (486, the edge tries another)")
        param = pj.CallOpParam()
        param.statusCode = pj.PJSIP_SC_BUSY_HERE
        try:
            leg.answer(param)
        except pj.Error as error:
            logger.warning("A SIP call could not be turned away: %s", error.info())
        leg.thisown = False  # as every ended leg (sipcall.py): never freed
        self.retire(leg)
