"""A wave's legs and how it ends, without SIP: fake legs, a clock the test moves, the flow's provider events
stubbed (the real ones are exercised end to end in test_controller_calls.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clearline.telephony.answers import Answer, Whisper, WhisperResult
from clearline.telephony.services import DialEnd
from clearline.telephony.sip import events
from clearline.telephony.sip.script import Event, Leg, Ring, script_for
from clearline.telephony.sip.tests.test_runner import PROMPT_S, Clock, prompts
from clearline.telephony.sip.wave import Wave

TRUNK = "trunk.example:5060"


class FakeLeg:
    def __init__(self, uri: str, listener: Any) -> None:
        self.uri, self.listener = uri, listener
        self.hung_up = False
        self.connected_to: FakeLeg | None = None

    def play(self, path: Path, *, loop: bool = False) -> None:
        return None

    def stop_playing(self) -> None:
        return None

    def connect(self, other: FakeLeg) -> None:
        self.connected_to = other

    def hang_up(self) -> None:
        self.hung_up = True

    # what pjsua would report
    def answers(self) -> None:
        self.listener.on_leg_answered(self)

    def presses(self, key: str) -> None:
        self.listener.on_leg_digit(self, key)

    def ends(self, code: int, answered: bool) -> None:
        self.listener.on_leg_ended(self, code, answered)


class Runtime:
    trunk = TRUNK

    def __init__(self) -> None:
        self.clock = Clock()
        self.legs: dict[str, FakeLeg] = {}
        self.refuse: set[str] = set()

    def prompt_files(self, phrases: Any) -> tuple[Path, float]:
        return prompts(phrases)

    def submit(self, owner: Any, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        try:
            result = work()
        except Exception as error:
            result = error
        then(result)

    def dial(self, uri: str, listener: Any, caller_id: str | None = None) -> FakeLeg | None:
        if uri in self.refuse:
            return None
        leg = self.legs[uri.split("@")[0][4:]] = FakeLeg(uri, listener)
        return leg


class Session:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.facts = events.CallFacts("SIPtest", "+12065550101", None)
        self.ended = False
        self.bridged: FakeLeg | None = None
        self.over: list[DialEnd] = []

    def bridge(self, leg: FakeLeg) -> None:
        self.bridged = leg

    def wave_over(self, step: int, ending: DialEnd, caller_gone: bool = False) -> None:
        self.over.append(ending)

    def prepared(self, work: Callable[[], Answer]) -> Callable[[], tuple[Answer, Any]]:
        return lambda: (answer := work(), script_for(answer))


@pytest.fixture
def statuses(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[str]]:
    reported: dict[int, list[str]] = {}
    monkeypatch.setattr(
        events,
        "provider_answered",
        lambda attempt: Answer("SIPtest", "en", Whisper("Alder", str(attempt), "en")),
    )
    monkeypatch.setattr(
        events,
        "provider_pressed",
        lambda attempt, digits: Answer("SIPtest", "en", WhisperResult(digits == "1")),
    )
    monkeypatch.setattr(
        events,
        "report_status",
        lambda sid, status, attempt=None, **_: reported.setdefault(attempt, []).append(status),
    )
    return reported


def wave_of(*numbers: str, ring_s: float = 10) -> tuple[Wave, Session, Runtime]:
    runtime = Runtime()
    session = Session(runtime)
    legs = tuple(Leg(number, attempt, True) for attempt, number in enumerate(numbers, start=1))
    wave = Wave(session, Ring(legs, ring_s, Event("dial", step=2)))  # type: ignore[arg-type]
    wave.start()
    return wave, session, runtime


ALDER, BIRCH = "+12065550131", "+12065550132"


def test_a_voicemail_hears_the_whisper_and_is_hung_up_while_the_other_leg_rings_on(statuses) -> None:  # type: ignore[no-untyped-def]
    _wave, session, runtime = wave_of(ALDER, BIRCH, ring_s=30)
    voicemail, person = runtime.legs[ALDER], runtime.legs[BIRCH]
    assert voicemail.uri == f"sip:{ALDER}@{TRUNK}"
    voicemail.answers()
    runtime.clock.advance(PROMPT_S + 8.1)  # the whisper, then 8 s without a key
    assert voicemail.hung_up and not person.hung_up and session.over == []
    person.answers()
    person.presses("1")
    assert session.bridged is person and session.over == []
    person.ends(200, True)  # the conversation is over
    assert session.over == [DialEnd.ANSWERED]
    assert statuses == {1: ["completed"], 2: ["completed"]}


def test_the_ring_time_cancels_ringing_legs_but_lets_a_whisper_finish(statuses) -> None:  # type: ignore[no-untyped-def]
    _wave, session, runtime = wave_of(ALDER, BIRCH, ring_s=5)
    runtime.legs[BIRCH].answers()
    runtime.clock.advance(5.1)
    assert runtime.legs[ALDER].hung_up and statuses[1] == ["no-answer"]
    assert session.over == []  # Birch is still hearing the whisper
    runtime.legs[BIRCH].presses("1")
    assert session.bridged is runtime.legs[BIRCH]


def test_a_wave_nobody_takes_ends_with_the_most_telling_reason(statuses) -> None:  # type: ignore[no-untyped-def]
    _wave, session, runtime = wave_of(ALDER, BIRCH)
    runtime.legs[ALDER].ends(486, False)
    runtime.legs[BIRCH].ends(503, False)
    assert session.over == [DialEnd.BUSY] and statuses == {1: ["busy"], 2: ["failed"]}
    _wave, session, runtime = wave_of(ALDER, BIRCH, ring_s=5)
    runtime.legs[ALDER].ends(486, False)
    runtime.clock.advance(5.1)
    assert session.over == [DialEnd.NO_ANSWER]
    _wave, session, runtime = wave_of(ALDER, BIRCH)
    runtime.legs[ALDER].answers()
    runtime.legs[ALDER].presses("7")  # not 1: that leg is hung up, and counts as answered (declined)
    runtime.legs[BIRCH].ends(486, False)
    assert session.over == [DialEnd.ANSWERED]


def test_a_leg_that_cannot_be_placed_fails_and_the_caller_hanging_up_cancels_the_rest(statuses) -> None:  # type: ignore[no-untyped-def]
    runtime = Runtime()
    runtime.refuse = {f"sip:{ALDER}@{TRUNK}"}
    session = Session(runtime)
    wave = Wave(session, Ring((Leg(ALDER, 1, True), Leg(BIRCH, 2, True)), 10, Event("dial", step=2)))  # type: ignore[arg-type]
    wave.start()
    assert statuses[1] == ["failed"] and session.over == []
    wave.caller_gone()
    assert runtime.legs[BIRCH].hung_up and statuses[2] == ["canceled"]
    assert session.over == [DialEnd.CANCELED]
