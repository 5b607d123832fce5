"""Output types: the steps of a plan, which the Twilio and Kamailio adapters render, and attempt results.

A plan is an ordered tuple of steps. The adapters play ``Disclosure`` and ``Menu``, then the first ``Dial``; after
each dial (or prompt) they call ``outcomes.next_step`` with what happened and render the step it returns. Every
path ends in a ``Connect``, a ``Transfer`` to a free line, a ``CallbackConfirmed`` or, for listing numbers, a
spoken ``Goodbye`` with the free numbers; never in silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from clearline.routing.types import CRISIS_NUMBER, FREE_HELPLINE_NUMBER


@dataclass(frozen=True, slots=True)
class DialTarget:
    id: str  # provider id, or the facility id for listing numbers
    name: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Spoken first: who is about to be rung, and that the first of them to accept takes the call."""

    version: str
    targets: tuple[DialTarget, ...]
    text: str
    index: int = 0


@dataclass(frozen=True, slots=True)
class MenuOption:
    digit: str
    label: str
    number: str


CRISIS_OPTION = MenuOption("9", "988 Suicide & Crisis Lifeline", CRISIS_NUMBER)
FREE_OPTION = MenuOption("0", "SAMHSA National Helpline (free, confidential, 24/7)", FREE_HELPLINE_NUMBER)


# The moments of a call at which the caller's 9 (crisis line) and 0 (free helpline) work: every sentence the caller
# hears then plays inside a one-digit key prompt that handles both. The greeting (disclosure and menu), the
# announcement before each later wave ("Now trying ..."), the callback offer, and a listing number's options after
# its facility did not answer. While providers' phones ring ("ringing") only where the policy says every adapter
# can hear keys then (``RoutingPolicy.keys_while_ringing``: the SIP controller and Twilio's queue shape can,
# Twilio's ``<Dial>`` cannot). Never once connected, in a transfer or goodbye. ``key_moments`` is the one list the
# disclosure's "keys work when" sentence is made from; the adapters' tests render every caller-facing answer and
# check it is exact both ways.
KEY_MOMENTS: tuple[str, ...] = ("greeting", "wave_announcement", "callback_offer", "listing_options")
RINGING = "ringing"


def key_moments(keys_while_ringing: bool) -> tuple[str, ...]:
    """The moments the keys work at, under a policy whose ``keys_while_ringing`` is this."""
    if not keys_while_ringing:
        return KEY_MOMENTS
    return ("greeting", "wave_announcement", RINGING, "callback_offer", "listing_options")


@dataclass(frozen=True, slots=True)
class Menu:
    """9 crisis, 0 free helpline: at the moments ``key_moments`` names (never once connected)."""

    options: tuple[MenuOption, ...] = (CRISIS_OPTION, FREE_OPTION)
    index: int = 1


@dataclass(frozen=True, slots=True)
class Dial:
    """Ring ``targets`` at once for ``ring_timeout_s``; the first to accept (press 1 after the whisper) wins."""

    index: int
    wave: int  # 1-based
    targets: tuple[DialTarget, ...]
    ring_timeout_s: int
    whisper: bool
    require_accept: bool
    announce: str  # for waves after the first: who is rung now (the disclosure named the first wave)
    caller_keys: bool = (
        False  # the caller's 9 and 0 work while it rings (``RoutingPolicy.keys_while_ringing``)
    )


@dataclass(frozen=True, slots=True)
class CallbackOffer:
    """ "Press 1 and <provider> will call you back within N minutes" (or the free helpline otherwise).

    ``backups`` are the providers that may take the request over if the named one does not return it in time
    (ids and names, no phones), in the order the core would choose them: the offer names them, the caller's
    consent lists them, and a reassignment never goes to anyone else. Empty in plans stored before it existed.

    ``open_hours`` (how long the request stays open unreturned) and ``number_kept_days`` (days the number is kept
    after the request closes) are deployment settings the routing core does not know: the telephony side fills
    them in when it stores the plan, so the offer spoken and the consent stored state the same terms. None in a
    plan not stored yet or stored before they existed (the offer then does not state them). They are not part
    of the routing decision, so they take no part in comparing steps: a plan equals itself as stored.
    """

    index: int
    provider_id: str
    provider_name: str
    deadline: datetime
    minutes: int
    text: str
    backups: tuple[DialTarget, ...] = ()
    open_hours: int | None = field(default=None, compare=False)
    number_kept_days: int | None = field(default=None, compare=False)

    @property
    def provider_ids(self) -> tuple[str, ...]:
        """Everyone the caller agrees to by pressing 1: the named provider first, then the backups in order."""
        return (self.provider_id, *(b.id for b in self.backups))


@dataclass(frozen=True, slots=True)
class ListingOptions:
    """A listing number's facility did not answer: call again later, 0 free helpline, 9 crisis."""

    index: int
    facility_name: str
    text: str
    options: tuple[MenuOption, ...] = (CRISIS_OPTION, FREE_OPTION)


@dataclass(frozen=True, slots=True)
class Transfer:
    number: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Connect:
    provider_id: str


@dataclass(frozen=True, slots=True)
class CallbackConfirmed:
    """Spoken once the callback request is stored durably; mentions the free helpline; then hang up."""

    provider_id: str
    deadline: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Goodbye:
    text: str


@dataclass(frozen=True, slots=True)
class Ended:
    """The caller hung up: nothing more to say to anyone."""

    reason: str = "caller_hung_up"


Step = (
    Disclosure
    | Menu
    | Dial
    | CallbackOffer
    | ListingOptions
    | Transfer
    | Connect
    | CallbackConfirmed
    | Goodbye
    | Ended
)


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # answered and pressed 1
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    DECLINED = "declined"
    FAILED = "failed"
    CALLER_HUNG_UP = "caller_hung_up"
    PRESSED_CRISIS = "pressed_9"
    PRESSED_FREE = "pressed_0"
    CALLBACK_ACCEPTED = "callback_accepted"  # the caller pressed 1 at the callback offer
    NO_INPUT = "no_input"  # a prompt finished without a digit


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    provider_id: str | None = None  # who accepted, for ACCEPTED


@dataclass(frozen=True, slots=True)
class Progress:
    """Where the call is: the index (in ``plan.steps``) of the step whose result is being reported."""

    at: int
    ring_elapsed_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Plan:
    call_id: str
    kind: str  # "helpline" or "listing"
    steps: tuple[Step, ...]
    ring_budget_s: int
    policy_version: str

    @property
    def dials(self) -> tuple[Dial, ...]:
        return tuple(s for s in self.steps if isinstance(s, Dial))

    @property
    def offered_ids(self) -> tuple[str, ...]:
        return tuple(t.id for d in self.dials for t in d.targets)

    @property
    def terminal(self) -> Step:
        return self.steps[-1]

    def first_dial(self) -> Dial | None:
        dials = self.dials
        return dials[0] if dials else None

    def wave_at(self, step_index: int) -> Dial | None:
        """The wave at ``step_index``, if the plan has one there."""
        return next((s for s in self.steps if isinstance(s, Dial) and s.index == step_index), None)

    def menu(self) -> Menu:
        return next((s for s in self.steps if isinstance(s, Menu)), Menu())

    def callback_offer(self) -> CallbackOffer:
        return next(s for s in self.steps if isinstance(s, CallbackOffer))
