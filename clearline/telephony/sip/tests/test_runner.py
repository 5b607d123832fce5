"""``<Gather>`` as Twilio runs it, on the SIP controller's runner: a fake leg, a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from clearline.telephony.sip.prompts import Phrase
from clearline.telephony.sip.runner import ScriptRunner
from clearline.telephony.sip.script import Event, Gather, Hangup, NoInput, Ring, Say, Verb

PROMPT_S = 3.0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[list[object]] = []

    def after(self, seconds: float, then: Callable[[], None]) -> _Timer:
        timer = _Timer()
        self.timers.append([self.now + seconds, then, timer])
        return timer

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while True:
            due = sorted((t for t in self.timers if t[0] <= end and not t[2].cancelled), key=lambda t: t[0])  # type: ignore[attr-defined]
            if not due:
                break
            at, then, _timer = due[0]
            self.timers.remove(due[0])
            self.now = at  # type: ignore[assignment]
            then()  # type: ignore[operator]
        self.now = end


class _Timer:
    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Leg:
    def __init__(self) -> None:
        self.playing: Path | None = None
        self.played: list[str] = []

    def play(self, path: Path) -> None:
        self.playing = path
        self.played.append(path.name)

    def stop_playing(self) -> None:
        self.playing = None


class Owner:
    def __init__(self) -> None:
        self.did: list[object] = []

    def on_event(self, event: Event, digits: str) -> None:
        self.did.append((event.name, digits))

    def on_ring(self, ring: Ring) -> None:
        self.did.append("ring")

    def on_hangup(self) -> None:
        self.did.append("hangup")


def prompts(phrases: Sequence[Phrase]) -> tuple[Path, float]:
    return Path(phrases[0].text), PROMPT_S


def runner(verbs: Sequence[Verb]) -> tuple[ScriptRunner, Leg, Clock, Owner]:
    leg, clock, owner = Leg(), Clock(), Owner()
    running = ScriptRunner(leg, clock, prompts, owner)
    running.run(verbs)
    return running, leg, clock, owner


MENU = Event("menu")
ZIP = Gather((Phrase("zip"),), Event("place"), max_digits=5, timeout_s=6, finish_on_key="#")


def test_the_first_key_stops_the_prompt_and_one_key_is_all_the_menu_needs() -> None:
    running, leg, clock, owner = runner([Gather((Phrase("menu"),), MENU, 1, 4, "#"), NoInput(MENU)])
    clock.advance(1.0)
    assert leg.playing == Path("menu")
    running.digit("9")
    assert leg.playing is None and owner.did == [("menu", "9")]
    clock.advance(30)
    assert owner.did == [("menu", "9")]  # nothing more: the flow's answer comes next


def test_no_key_waits_the_timeout_after_the_prompt_then_goes_on() -> None:
    _running, _leg, clock, owner = runner([Gather((Phrase("menu"),), MENU, 1, 4, "#"), NoInput(MENU)])
    clock.advance(PROMPT_S + 3.9)
    assert owner.did == []
    clock.advance(0.2)
    assert owner.did == [("menu", "")]


def test_a_zip_code_is_five_keys_and_a_single_key_ends_with_pound_or_silence() -> None:
    running, _leg, clock, owner = runner([ZIP])
    for key in "98052":
        running.digit(key)
    assert owner.did == [("place", "98052")]
    running, _leg, clock, owner = runner([ZIP])
    running.digit("9")
    running.digit("#")
    assert owner.did == [("place", "9")]
    running, _leg, clock, owner = runner([ZIP])
    running.digit("0")
    clock.advance(5.9)
    assert owner.did == []
    clock.advance(0.2)
    assert owner.did == [("place", "0")]


def test_keys_during_a_say_are_not_collected_and_the_end_of_a_script_hangs_up() -> None:
    running, leg, clock, owner = runner([Say((Phrase("connecting"),)), Ring((), 30, None), Hangup()])
    running.digit("9")
    assert owner.did == [] and leg.playing == Path("connecting")
    clock.advance(PROMPT_S)
    assert owner.did == ["ring"]
    running.resume()  # the ring fell through (a failed transfer)
    assert owner.did == ["ring", "hangup"]
    _running, _leg, clock, owner = runner([Say((Phrase("goodbye"),))])
    clock.advance(PROMPT_S)
    assert owner.did == ["hangup"]
