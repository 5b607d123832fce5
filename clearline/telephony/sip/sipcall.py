"""pjsua2's side of a call: ``SipLeg`` (one SIP call with media, the ``Leg`` of ``legs.py``), the account that
takes incoming calls, and the caller's leg reporting to its session. Every callback is only noted here and
handled on the SIP thread after ``libHandleEvents`` returns (``Loop.later``), never re-entering pjsua."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from clearline.telephony.sip.session import Session

if TYPE_CHECKING:
    from clearline.telephony.sip.controller import Controller

logger = logging.getLogger(__name__)


class SipLeg(pj.Call):
    """One pjsua2 call: plays files, bridges to another leg, reports to its listener on the SIP thread."""

    def __init__(self, controller: Controller, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(controller.account, call_id)
        self.controller = controller
        self.listener: Any = None
        self.audio: Any = None
        self.player: Any = None
        self.confirmed = self.answered = self.ended = False
        self.peer: SipLeg | None = None
        self.uri = ""  # where an outbound leg went (for logs and tests)
        controller.live.add(self)

    # pjsua2 callbacks: noted, then handled after ``libHandleEvents`` returns (never re-entering pjsua).
    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        state, code = info.state, info.lastStatusCode
        self.controller.later(lambda: self._state(state, code))

    def onCallMediaState(self, prm: Any) -> None:
        info = self.getInfo()
        for index, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.audio = self.getAudioMedia(index)
                self.controller.later(self._media_up)
                return

    def onDtmfDigit(self, prm: Any) -> None:
        digit = prm.digit
        self.controller.later(lambda: self._digit(digit))

    def _state(self, state: int, code: int) -> None:
        if self.ended or self.listener is None:
            return
        if state == pj.PJSIP_INV_STATE_EARLY:
            self.listener.on_leg_ringing(self)
        elif state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.confirmed = True
            self._maybe_answered()
        elif state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.ended = True
            # pjsua hands this call's id to a new call as soon as it is over, and pjsua2's Call destructor hangs
            # up whatever call has its id: freed later, this object would end a stranger's call (seen in tests).
            # So its C++ side is never freed (a few hundred bytes per leg; pjsua no longer calls it).
            self.thisown = False
            self.stop_playing()
            listener, self.listener = self.listener, None
            listener.on_leg_ended(self, code, self.answered)
            self.controller.retire(self)

    def _media_up(self) -> None:
        self._maybe_answered()

    def _maybe_answered(self) -> None:
        if self.confirmed and self.audio is not None and not self.answered and not self.ended:
            self.answered = True
            self.listener.on_leg_answered(self)

    def _digit(self, digit: str) -> None:
        if not self.ended and self.listener is not None:
            self.listener.on_leg_digit(self, digit)

    # the Leg interface (legs.py)
    def play(self, path: Path, *, loop: bool = False) -> None:
        self.stop_playing()
        if self.audio is None or self.ended:
            return
        player = pj.AudioMediaPlayer()
        player.createPlayer(str(path), 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
        player.startTransmit(self.audio)
        self.player = player

    def stop_playing(self) -> None:
        player, self.player = self.player, None
        if player is not None and self.audio is not None:
            with contextlib.suppress(pj.Error):
                player.stopTransmit(self.audio)

    def connect(self, other: Any) -> None:
        if self.audio is None or other.audio is None:
            return
        self.stop_playing()
        other.stop_playing()
        self.audio.startTransmit(other.audio)
        other.audio.startTransmit(self.audio)
        self.peer, other.peer = other, self

    def hang_up(self) -> None:
        if self.ended:
            return
        try:
            self.hangup(pj.CallOpParam())
        except pj.Error as error:
            logger.warning("SIP hang-up failed: %s", error.info())


class Caller:
    """The caller's leg reports to its session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def on_leg_ringing(self, leg: Any) -> None:
        return None

    def on_leg_answered(self, leg: Any) -> None:
        self.session.media_ready()

    def on_leg_digit(self, leg: Any, digit: str) -> None:
        self.session.digit(digit)

    def on_leg_ended(self, leg: Any, code: int, answered: bool) -> None:
        self.session.caller_ended()


class Account(pj.Account):
    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.controller = controller

    def onIncomingCall(self, prm: Any) -> None:
        call_id, message = prm.callId, prm.rdata.wholeMsg
        self.controller.incoming(call_id, message)
