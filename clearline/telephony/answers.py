"""What the call flow answers at each event: the next step, and the values an adapter needs to say it.

``Answer.step`` is either a routing step (``Dial``, ``CallbackOffer``, ``Transfer``, ``ListingOptions``,
``Goodbye``, ``Ended``, ``Connect``) or one of the prompts below, which the flow adds around the engine's steps.
Plain frozen values, no wire format: the Twilio adapter renders them as TwiML (``twiml.render_answer``), the SIP
controller as prompts, digit collection and legs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from clearline.routing import Menu, Step


@dataclass(frozen=True)
class Greeting:
    """A helpline call's disclosure (``sentences``, already in the call's language) and its menu."""

    sentences: tuple[str, ...]
    menu: Menu


@dataclass(frozen=True)
class AskPlace:
    """The ZIP prompt, before the greeting: a ZIP code, or one of the menu's keys, or 2 for the other language."""

    menu: Menu


@dataclass(frozen=True)
class AskNumber:
    """Caller ID withheld: ask for the number to call back (the callback offer at ``index`` was accepted)."""

    index: int


@dataclass(frozen=True)
class CallbackGiven:
    """The callback request is stored: ``provider_name`` will call back within ``minutes``; then the options."""

    index: int
    provider_name: str
    minutes: int


@dataclass(frozen=True)
class CallbackRefused:
    """Nobody the offer named has room any more: say so and transfer to the free helpline (nothing stored)."""


@dataclass(frozen=True)
class OptionTaken:
    """A key at the options prompt (after a callback, or a listing's): 9 crisis line, 0 free helpline, else bye."""

    digits: str


@dataclass(frozen=True)
class Whisper:
    """A provider's leg answered: who is calling and why, and press 1 to accept (attempt ``attempt_id``)."""

    provider_name: str
    attempt_id: str
    caller_language: str


@dataclass(frozen=True)
class WhisperResult:
    """After the provider's key: bridged to the caller (``accepted``), or that leg hangs up."""

    accepted: bool


Prompt = (
    Greeting | AskPlace | AskNumber | CallbackGiven | CallbackRefused | OptionTaken | Whisper | WhisperResult
)


@dataclass(frozen=True)
class Answer:
    """The next thing one call hears or does. ``listing``: the call is to a listing number (its ``Dial`` rings the
    facility, without whisper or attempts). ``attempt_ids``: provider id -> attempt id for a ``Dial``'s legs.
    ``rang``: False when a listing's facility had no verified phone to ring."""

    call_sid: str
    language: str
    step: Step | Prompt
    listing: bool = False
    attempt_ids: Mapping[str, str] = field(default_factory=dict)
    rang: bool = True

    @property
    def index(self) -> int | None:
        """The plan step this answer belongs to (it goes into the adapter's action URLs), if any."""
        return getattr(self.step, "index", None)
