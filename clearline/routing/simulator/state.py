"""Simulated providers and callers: the mutable state the event loop works on."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from clearline.routing.callback_choice import CALLBACK_RECORD_DAYS
from clearline.routing.schedule import zone
from clearline.routing.simulator.workload import ProviderSpec

if TYPE_CHECKING:
    from clearline.routing.claims import Claim

FAR_FUTURE = date(9999, 12, 31)
# Where callers are lost (``CallRecord.loss``), in the order the simulator's table shows them.
LOSS_CAUSES = (
    "nobody_eligible",
    "hung_up_ringing",
    "no_callback_capacity",
    "callback_declined",
    "callback_late",
)


@dataclass(slots=True)
class Callback:
    call_index: int
    provider_id: str
    created: float
    deadline: float
    returned: float | None = None
    expired: float | None = None  # the provider never returned it: closed unreturned at the deadline
    consent: tuple[str, ...] = ()  # who the caller agreed may call back: the named provider, then backups

    @property
    def closed(self) -> float | None:
        return self.returned if self.returned is not None else self.expired


@dataclass(slots=True)
class ProviderState:
    spec: ProviderSpec
    busy: int = 0  # lines ringing or in a call
    ringing: int = 0
    delivered: int = 0
    delivered_on: date | None = None
    last_offered: datetime | None = None
    unanswered: list[datetime] = field(default_factory=list)
    auto_paused: bool = False
    auto_pauses: int = 0  # times the engine paused it
    open_callbacks: int = 0
    waiting_callbacks: deque[Callback] = field(default_factory=deque)
    first_wave_rings: int = 0
    first_wave_expected: float = 0.0
    # Its callback record, as the roster reads it from the callback requests: settled callbacks as (assigned at,
    # late), and the open ones' (assigned at, deadline) by call.
    settled_callbacks: list[tuple[datetime, bool]] = field(default_factory=list)
    held_callbacks: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)

    def local_date(self, now: datetime) -> date:
        return now.astimezone(zone(self.spec.schedule.timezone)).date()

    def delivered_today(self, now: datetime) -> int:
        return self.delivered if self.delivered_on == self.local_date(now) else 0

    def has_line(self) -> bool:
        return self.busy < self.spec.lines

    def under_cap(self, now: datetime) -> bool:
        cap = self.spec.daily_cap
        return cap is None or self.delivered_today(now) + self.ringing < cap

    def can_reserve(self, now: datetime) -> bool:
        """What the telephony services' atomic reservation checks just before dialling."""
        return self.has_line() and self.under_cap(now)

    def callback_record(self, now: datetime) -> tuple[int, int]:
        """(recent, late) for ``ProviderSnapshot``: its callbacks assigned within ``CALLBACK_RECORD_DAYS`` that
        are settled or open past their deadline, and those of them not returned by it."""
        if not self.settled_callbacks and not self.held_callbacks:
            return 0, 0
        since = now - timedelta(days=CALLBACK_RECORD_DAYS)
        if self.settled_callbacks and self.settled_callbacks[0][0] < since:  # time only moves on: forget
            self.settled_callbacks = [entry for entry in self.settled_callbacks if entry[0] >= since]
        recent = late = 0
        for assigned, was_late in self.settled_callbacks:
            if assigned >= since:
                recent += 1
                late += was_late
        for assigned, deadline in self.held_callbacks.values():
            if assigned >= since and deadline < now:
                recent += 1
                late += 1
        return recent, late

    def deliver(self, now: datetime) -> bool:
        """Count an accepted call or an assigned callback; returns False if that overran the daily cap."""
        today = self.local_date(now)
        if self.delivered_on != today:
            self.delivered_on, self.delivered = today, 0
        self.delivered += 1
        cap = self.spec.daily_cap
        return cap is None or self.delivered <= cap


@dataclass(slots=True)
class Caller:
    index: int
    arrival: float  # seconds since the workload start; routing starts here
    patience: float
    state: str | None
    accepts_callback: bool


@dataclass(slots=True)
class CallRecord:
    """What happened to one call, for the metrics and the claims check."""

    index: int
    arrival: float
    time_to_human: float | None = None
    abandoned: bool = False
    callback: Callback | None = None
    free_line: bool = False
    offered_callback: bool = False  # a callback was offered (accepted or not)
    no_room: bool = False  # the caller accepted a callback, but the re-check found no room for it
    first_wave: tuple[str, ...] = ()
    eligible: tuple[str, ...] = ()
    missed: set[str] = field(default_factory=set)  # providers whose ring-out already counted in this call
    caller_state: str | None = None
    waves: list[tuple[str, ...]] = field(default_factory=list)  # providers reserved and rung, wave by wave
    connected: str | None = None  # the provider who accepted
    named: tuple[str, ...] = ()  # the first wave the greeting named
    claims: tuple[Claim, ...] | None = None  # what the caller was told (None: the strategy makes no claims)

    @property
    def loss(self) -> str | None:
        """Why the caller was lost (``LOSS_CAUSES``), or None: answered live, or called back on time."""
        if self.time_to_human is not None:
            return None
        if self.callback is not None:
            returned = self.callback.returned
            return None if returned is not None and returned <= self.callback.deadline else "callback_late"
        if self.abandoned:
            return "hung_up_ringing"
        if self.offered_callback and not self.no_room:
            return "callback_declined"
        return "no_callback_capacity" if self.eligible or self.no_room else "nobody_eligible"

    @property
    def outcome(self) -> str:
        """The call's ending, as telephony's ``CallOutcome`` names it ("pending" if the engine left it open)."""
        if self.time_to_human is not None:
            return "connected"
        if self.callback is not None:
            return "callback"
        if self.free_line:
            return "transferred_free"
        if self.abandoned:
            return "abandoned"
        return "pending"
