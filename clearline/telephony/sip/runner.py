"""Playing a script (``script.py``) on one leg: prompts, key collection with TwiML's ``<Gather>`` rules, and
handing the rest (events, rings, hang-up) to the leg's owner. No pjsua2 here: the leg, the clock and the prompts
are small interfaces the controller implements (and tests fake).

``<Gather>`` as Twilio runs it: the prompt plays; the first key stops it; keys are collected until
``max_digits`` or ``finish_on_key`` (not included); after the prompt, ``timeout_s`` of silence (before the first
key or between keys) ends the entry: with keys, they go to the event; without, the next verb.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from clearline.telephony.sip.prompts import Phrase
from clearline.telephony.sip.script import Event, Gather, Hangup, NoInput, Pause, Ring, Say, Verb

logger = logging.getLogger(__name__)


class Timer(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def after(self, seconds: float, then: Callable[[], None]) -> Timer: ...


class MediaLeg(Protocol):
    def play(self, path: Path) -> None: ...

    def stop_playing(self) -> None: ...


class Owner(Protocol):
    """Who the runner hands what it cannot do itself: a flow event, a ring, the end of the leg."""

    def on_event(self, event: Event, digits: str) -> None: ...

    def on_ring(self, ring: Ring) -> None: ...

    def on_hangup(self) -> None: ...


PromptFiles = Callable[[Sequence[Phrase]], tuple[Path, float] | None]


class ScriptRunner:
    def __init__(self, leg: MediaLeg, clock: Clock, prompts: PromptFiles, owner: Owner) -> None:
        self.leg, self.clock, self.prompts, self.owner = leg, clock, prompts, owner
        self.verbs: list[Verb] = []
        self.at = 0
        self.gather: Gather | None = None
        self.digits = ""
        self.playing = False
        self.timer: Timer | None = None

    def run(self, verbs: Sequence[Verb]) -> None:
        """Play ``verbs`` from the first, dropping whatever was playing."""
        self.stop()
        self.verbs, self.at = list(verbs), 0
        self.resume()

    def stop(self) -> None:
        self._cancel()
        if self.playing:
            self.leg.stop_playing()
            self.playing = False
        self.gather, self.digits, self.verbs, self.at = None, "", [], 0

    def resume(self) -> None:
        """The next verb (after a ring that fell through: a transfer that failed goes on to the goodbye)."""
        while self.at < len(self.verbs):
            verb = self.verbs[self.at]
            self.at += 1
            if isinstance(verb, Say):
                if self._play(verb.phrases, self.resume):
                    return
            elif isinstance(verb, Gather):
                self.gather, self.digits = verb, ""
                if not self._play(verb.phrases, self._prompt_done):
                    self._prompt_done()
                return
            elif isinstance(verb, Pause):
                self.timer = self.clock.after(verb.seconds, self.resume)
                return
            elif isinstance(verb, NoInput):
                self.verbs = []
                self.owner.on_event(verb.event, "")
                return
            elif isinstance(verb, Ring):
                self.owner.on_ring(verb)
                return
            elif isinstance(verb, Hangup):
                self.verbs = []
                self.owner.on_hangup()
                return
        # The end of a document hangs up, as Twilio does.
        self.verbs = []
        self.owner.on_hangup()

    def digit(self, key: str) -> None:
        """A key (RFC 2833) on this leg: collected when a ``Gather`` listens, else ignored (as Twilio does)."""
        gather = self.gather
        if gather is None:
            return
        if self.playing:
            self.leg.stop_playing()
            self.playing = False
        self._cancel()
        if key == gather.finish_on_key:
            self._submit()
            return
        self.digits += key
        if len(self.digits) >= gather.max_digits:
            self._submit()
            return
        self.timer = self.clock.after(gather.timeout_s, self._timed_out)

    def _play(self, phrases: Sequence[Phrase], then: Callable[[], None]) -> bool:
        if not phrases:
            return False
        found = self.prompts(phrases)
        if found is None:  # not rendered (logged where it failed): the call goes on without those words
            return False
        path, seconds = found
        self.leg.play(path)
        self.playing = True
        self.timer = self.clock.after(seconds, lambda: self._played(then))
        return True

    def _played(self, then: Callable[[], None]) -> None:
        self.timer = None
        if self.playing:
            self.leg.stop_playing()
            self.playing = False
        then()

    def _prompt_done(self) -> None:
        if self.gather is not None and not self.digits:
            self.timer = self.clock.after(self.gather.timeout_s, self._timed_out)

    def _timed_out(self) -> None:
        self.timer = None
        if self.digits:
            self._submit()
            return
        self.gather = None
        self.resume()

    def _submit(self) -> None:
        gather, digits = self.gather, self.digits
        self.gather, self.digits, self.verbs = None, "", []
        self._cancel()
        if gather is not None:
            self.owner.on_event(gather.event, digits)

    def _cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
