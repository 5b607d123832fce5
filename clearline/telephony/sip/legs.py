"""The interfaces between the call logic (``session.py``, ``wave.py``) and the pjsua2 glue (``controller.py``):
what a leg can do, what it reports, what the controller's runtime offers. No pjsua2 here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from clearline.telephony.sip.prompts import Phrase
from clearline.telephony.sip.runner import Clock
from clearline.telephony.sip.script import Verb

# SIP final responses in the words of a leg's status (as Twilio reports a leg's CallStatus).
BUSY_CODES = frozenset({486, 600, 603})
NO_ANSWER_CODES = frozenset({408, 480})


def unanswered_status(code: int) -> str:
    """A leg that never answered, by its final response: busy, no-answer or failed."""
    if code in BUSY_CODES:
        return "busy"
    if code in NO_ANSWER_CODES:
        return "no-answer"
    return "failed"


class Leg(Protocol):
    """One SIP call with media: the caller's, a provider's, a transfer's."""

    def play(self, path: Path, *, loop: bool = False) -> None: ...

    def stop_playing(self) -> None: ...

    def connect(self, other: Leg) -> None:
        """Audio both ways between this leg and ``other`` (the bridge)."""

    def hang_up(self) -> None:
        """End the leg: CANCEL while it rings, BYE once answered. Its end is reported as for any other end."""


class LegListener(Protocol):
    """What an outbound leg reports, on the controller's SIP thread."""

    def on_leg_ringing(self, leg: Leg) -> None: ...

    def on_leg_answered(self, leg: Leg) -> None:
        """Answered and its audio flows (200 OK, ACK, media up)."""

    def on_leg_digit(self, leg: Leg, digit: str) -> None: ...

    def on_leg_ended(self, leg: Leg, code: int, answered: bool) -> None:
        """The leg is over: ``code`` its final response (or 200 after a BYE), ``answered`` whether it was."""


class Runtime(Protocol):
    clock: Clock
    trunk: str | None

    def prompt_files(self, phrases: Sequence[Phrase]) -> tuple[Path, float] | None: ...

    def ringback(self) -> Path | None: ...

    def render(self, verbs: Sequence[Verb]) -> None:
        """Render the prompts of ``verbs`` now (on a flow thread), so playing them later never waits."""

    def submit(self, owner: Any, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run ``work`` on a flow thread, then ``then(result or exception)`` on the SIP thread; one at a time per
        ``owner`` (a call's events apply in the order they happened)."""

    def dial(self, uri: str, listener: LegListener, caller_id: str | None = None) -> Leg | None:
        """Place an outbound leg (None: it could not be placed at all), showing ``caller_id`` (an E.164 number:
        the helpline number the caller dialled) as who calls, else the controller's own URI."""
