"""Claims: every sentence Clearline says about where calls go, as typed data with a test over a finished call.

``claim_builders`` makes them: what the web says about one number (from the routing policy, the providers that
could answer it and the fee terms) and what the greeting of one call says (from that call's plan). Words are
rendered elsewhere (``content/claims_text.py``, in each language) from these values only, so a sentence cannot
say more than its claim. ``violations`` checks a finished call (``CallFacts``) against the claims it was made
under: the simulator, the tests and the worker's check of real calls all use it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any, ClassVar

from clearline.routing.schedule import WEEKDAYS, zone
from clearline.routing.steps import KEY_MOMENTS

# How a finished helpline call may end, every one of them somewhere safe (DESIGN.md rules 5 and 6).
SAFE_ENDINGS = frozenset({"connected", "callback", "transferred_free", "transferred_crisis", "abandoned"})
LISTING_ENDINGS = frozenset(
    {"listing_connected", "listing_unanswered", "transferred_free", "transferred_crisis", "abandoned"}
)
# A callback's deadline is computed from the moment the offer was planned; storing it takes a moment more.
CALLBACK_SLACK_S = 120.0


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What happened on one finished call, as plain values (from the call records, or from the simulator)."""

    kind: str  # "helpline" or "listing"
    outcome: str  # telephony's CallOutcome value
    at: datetime | None = None  # when routing started (aware)
    caller_state: str | None = None
    caller_zip3: str | None = None
    language: str = "en"
    eligible: tuple[str, ...] = ()  # the decision's eligible providers (its trace)
    waves: tuple[tuple[str, ...], ...] = ()  # providers actually rung, wave by wave
    named: tuple[str, ...] = ()  # providers the greeting named as about to ring
    connected: str | None = None
    callback_assignees: tuple[str, ...] = ()  # first the named provider, then any reassignment
    callback_consent: tuple[str, ...] = ()  # the providers the caller agreed may call back
    callback_minutes: float | None = None  # deadline minus request, in minutes
    callback_open_hours: float | None = None  # request to close (or to the check, while open), in hours
    key_presses: tuple[tuple[str, str], ...] = ()  # (digit, moment) of 9 and 0 presses the call heard

    @property
    def rung(self) -> frozenset[str]:
        return frozenset(pid for wave in self.waves for pid in wave)

    @property
    def providers_involved(self) -> frozenset[str]:
        extra = {self.connected} if self.connected else set()
        return self.rung | extra | set(self.callback_assignees)


@dataclass(frozen=True, slots=True)
class ProviderScope:
    """Who may answer a number, where they take callers from, when, and in which languages."""

    id: str
    name: str
    timezone: str
    states: tuple[str, ...] = ()  # empty with no zip prefixes: everywhere
    zip_prefixes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    always_open: bool = False
    weekly: tuple[tuple[str, str, str], ...] = ()  # (weekday, "HH:MM", "HH:MM") in ``timezone``
    special_days: tuple[
        str, ...
    ] = ()  # ISO dates whose hours differ from the weekly ones (closures, exceptions)

    @property
    def everywhere(self) -> bool:
        return not self.states and not self.zip_prefixes

    def serves(self, facts: CallFacts) -> bool:
        if self.everywhere or (facts.caller_state is None and facts.caller_zip3 is None):
            return True  # the engine does not exclude anyone on a guess when the caller's area is unknown
        if facts.caller_state is not None and facts.caller_state in self.states:
            return True
        zip3 = facts.caller_zip3
        return zip3 is not None and any(zip3.startswith(p[:3]) for p in self.zip_prefixes)

    def open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(zone(self.timezone))
        dates = {local.date().isoformat(), (local.date() - timedelta(days=1)).isoformat()}
        if self.always_open or dates & set(self.special_days):
            # Special days (and the small hours after one) are announced as "except posted closures and special
            # hours": not checked against the week.
            return True
        minute = local.hour * 60 + local.minute
        today, yesterday = WEEKDAYS[local.weekday()], WEEKDAYS[(local.weekday() - 1) % 7]
        for day, start, end in self.weekly:
            a, b = _minutes(start), _minutes(end)
            if day == today and (a <= minute < b or (b <= a and minute >= a)):
                return True
            if day == yesterday and b <= a and minute < b:
                return True
        return False


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class Claim(ABC):
    """A sentence as data: ``kind`` names its wording; ``holds`` says whether a finished call kept it."""

    kind: ClassVar[str]

    @abstractmethod
    def holds(self, facts: CallFacts) -> bool: ...

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class ListingRingsOnlyFacility(Claim):
    """A number on a facility's listing rings that facility only, never a provider."""

    kind: ClassVar[str] = "listing_only"

    def holds(self, facts: CallFacts) -> bool:
        if facts.kind != "listing":
            return True
        return not facts.providers_involved and facts.outcome in LISTING_ENDINGS


@dataclass(frozen=True, slots=True)
class AnsweredBy(Claim):
    """This number is answered or returned only by these providers, each where, when and in what it serves."""

    kind: ClassVar[str] = "answered_by"
    providers: tuple[ProviderScope, ...]

    def holds(self, facts: CallFacts) -> bool:
        scopes = {p.id: p for p in self.providers}
        for pid in facts.providers_involved:
            scope = scopes.get(pid)
            if scope is None or not scope.serves(facts) or facts.language not in scope.languages:
                return False
        return all(facts.at is None or scopes[pid].open_at(facts.at) for pid in facts.rung)


@dataclass(frozen=True, slots=True)
class NoProvider(Claim):
    """Right now no provider answers this number: calls go to the free national helpline."""

    kind: ClassVar[str] = "no_provider"

    def holds(self, facts: CallFacts) -> bool:
        return not facts.providers_involved


@dataclass(frozen=True, slots=True)
class FairTurns(Claim):
    """Only providers that can take this caller now are rung, in turns that keep shares equal."""

    kind: ClassVar[str] = "fair_turns"
    continuity_days: int = 0

    def holds(self, facts: CallFacts) -> bool:
        return facts.rung <= set(facts.eligible)


@dataclass(frozen=True, slots=True)
class RingsAtOnce(Claim):
    """Up to ``first`` ring at once, then up to ``later`` per round, for at most ``budget_s`` seconds."""

    kind: ClassVar[str] = "rings_at_once"
    first: int
    later: int
    ring_s: int
    budget_s: int
    again: bool = True  # once everyone was rung, the list starts over while time remains
    press_to_accept: bool = True  # a person presses 1 to take the call, so no voicemail can

    def holds(self, facts: CallFacts) -> bool:
        waves = [w for w in facts.waves if w]
        if len(waves) > max(1, self.budget_s // self.ring_s):
            return False
        if not self.again and len(facts.rung) < sum(len(w) for w in waves):
            return False
        return all(len(w) <= (self.first if i == 0 else self.later) for i, w in enumerate(facts.waves))


@dataclass(frozen=True, slots=True)
class FlatEqualFee(Claim):
    """Every provider named pays the same flat fee per ``period``, whatever happens on any call."""

    kind: ClassVar[str] = "flat_fee"
    period: str
    provider_ids: tuple[str, ...]

    def holds(self, facts: CallFacts) -> bool:
        return facts.providers_involved <= set(self.provider_ids)


@dataclass(frozen=True, slots=True)
class CallbackPromise(Claim):
    """If nobody can answer, the caller may ask for a callback within ``minutes`` from a named provider (or one
    of the others the offer names), kept open at most ``open_hours``."""

    kind: ClassVar[str] = "callback"
    minutes: int
    open_hours: int
    number_kept_days: int = 3  # after the request closes, its encrypted number is purged

    def holds(self, facts: CallFacts) -> bool:
        if not facts.callback_assignees:
            return True
        if (
            facts.callback_minutes is not None
            and facts.callback_minutes * 60 > self.minutes * 60 + CALLBACK_SLACK_S
        ):
            return False
        if facts.callback_open_hours is not None and facts.callback_open_hours > self.open_hours + 1:
            return False  # the worker closes requests hourly at most
        return set(facts.callback_assignees) <= set(facts.callback_consent or facts.callback_assignees[:1])


@dataclass(frozen=True, slots=True)
class NoCallback(Claim):
    kind: ClassVar[str] = "no_callback"

    def holds(self, facts: CallFacts) -> bool:
        return not facts.callback_assignees


@dataclass(frozen=True, slots=True)
class OtherwiseFreeHelpline(Claim):
    """Every call ends with a person, a callback promise, or the free national helpline (or the caller's choice)."""

    kind: ClassVar[str] = "otherwise_free"

    def holds(self, facts: CallFacts) -> bool:
        if facts.kind != "helpline":
            return facts.outcome in LISTING_ENDINGS
        if facts.outcome == "connected":
            return facts.connected is not None
        return facts.outcome in SAFE_ENDINGS


@dataclass(frozen=True, slots=True)
class KeysWork(Claim):
    """9 (crisis line) and 0 (free helpline) work at these moments of a call, and only a key press transfers."""

    kind: ClassVar[str] = "keys"
    moments: tuple[str, ...] = KEY_MOMENTS

    def holds(self, facts: CallFacts) -> bool:
        wanted = {"9": "transferred_crisis", "0": "transferred_free"}
        for digit, moment in facts.key_presses:
            if moment in self.moments and digit in wanted and facts.outcome != wanted[digit]:
                return False
        return facts.outcome != "transferred_crisis" or any(d == "9" for d, _ in facts.key_presses)


@dataclass(frozen=True, slots=True)
class WillRing(Claim):
    """Spoken: these providers (the first wave) will now ring; the first to accept takes the call."""

    kind: ClassVar[str] = "will_ring"
    provider_ids: tuple[str, ...]
    names: tuple[str, ...]

    def holds(self, facts: CallFacts) -> bool:
        first = facts.waves[0] if facts.waves else ()
        return set(first) <= set(self.provider_ids)


@dataclass(frozen=True, slots=True)
class NobodyNow(Claim):
    """Spoken: no provider can take this call right now (said first, before the free line is offered)."""

    kind: ClassVar[str] = "nobody_now"

    def holds(self, facts: CallFacts) -> bool:
        return not facts.rung and facts.connected is None


CLAIM_TYPES: dict[str, type[Claim]] = {
    c.kind: c
    for c in (
        ListingRingsOnlyFacility,
        AnsweredBy,
        NoProvider,
        FairTurns,
        RingsAtOnce,
        FlatEqualFee,
        CallbackPromise,
        NoCallback,
        OtherwiseFreeHelpline,
        KeysWork,
        WillRing,
        NobodyNow,
    )
}


def violations(claims: Iterable[Claim], facts: CallFacts) -> list[Claim]:
    return [c for c in claims if not c.holds(facts)]


def claim_from_dict(data: Mapping[str, Any]) -> Claim:
    """The inverse of ``Claim.as_dict`` (claims are stored with the disclosure version they were said under)."""
    cls = CLAIM_TYPES[data["kind"]]
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "providers":
            value = tuple(_scope_from_dict(p) for p in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
    return cls(**values)


def _scope_from_dict(data: Mapping[str, Any]) -> ProviderScope:
    values: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = tuple(tuple(x) if isinstance(x, list) else x for x in value)
        values[key] = value
    return ProviderScope(**values)
