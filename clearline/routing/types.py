"""Input types of the routing engine: the call, the providers as they are right now, and the policy.

Rule 2 of the design holds here by construction: no input type has a fee, price, bid or revenue field, so nothing
money can touch can reach a decision (``tests/test_eligibility.py`` checks every field name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from clearline.routing.schedule import Schedule, TimeRange

CRISIS_NUMBER = "+18002738255"  # the 988 Suicide & Crisis Lifeline's 10-digit number; callers are told "988"
FREE_HELPLINE_NUMBER = "+18006624357"  # SAMHSA National Helpline, free and confidential, 24/7


class Intent(StrEnum):
    """What the number the caller dialled is about (the topic bar's detox / rehabilitation / hotline)."""

    DETOX = "detox"
    REHABILITATION = "rehabilitation"
    HOTLINE = "hotline"


class NumberKind(StrEnum):
    HELPLINE = "helpline"  # rotates among participating providers
    LISTING = "listing"  # rings one facility, never a provider


@dataclass(frozen=True, slots=True)
class CallContext:
    """One incoming call, as far as routing needs to know it. Never the raw caller number."""

    call_id: str
    number_kind: NumberKind = NumberKind.HELPLINE
    intent: Intent | None = None
    language: str = "en"
    caller_hmac: str | None = None
    caller_state: str | None = None  # two-letter code, when known (from the caller's area code or a menu)
    caller_zip: str | None = None
    # Continuity: the provider who last answered this caller (same caller HMAC) and when; looked up by services.
    previous_provider_id: str | None = None
    previous_answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProviderSnapshot:
    """A participating provider at the moment of the call. Counters are kept by the telephony services."""

    id: str
    name: str
    schedule: Schedule
    phone: str = ""
    contract_active: bool = True
    license_expires: date | None = None  # valid through this local date; None = not on file = not eligible
    certification_expires: date | None = None
    paused: bool = False  # paused by staff or by the provider
    auto_paused: bool = False  # paused by the engine's unanswered-offers rule, until someone resumes it
    unanswered_offers: tuple[datetime, ...] = ()  # offers that rang out since the last answer or resume
    lines: int = 1  # calls ringing or in progress at once
    active_calls: int = 0  # calls ringing or in progress now (slots reserved)
    ringing: int = 0  # of which offers still ringing (count against the daily cap until they resolve)
    daily_cap: int | None = None
    delivered_today: int = 0  # calls accepted + callbacks assigned on ``delivered_on``
    delivered_on: date | None = None  # the provider's local date the counter refers to
    open_callbacks: int = 0  # callbacks assigned and not yet returned
    # Its callback record (``callback_choice.keeps_callbacks``): callbacks assigned to it in the last
    # ``CALLBACK_RECORD_DAYS`` that are settled (returned, closed unreturned, moved on, or open past their
    # deadline), and of those the ones it did not return by the deadline.
    recent_callbacks: int = 0
    late_callbacks: int = 0
    states: frozenset[str] = frozenset()  # empty = serves everywhere
    zip_prefixes: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"en"})
    intents: frozenset[Intent] = frozenset(Intent)
    last_offered_at: datetime | None = None  # last time any call rang this provider
    # First rings this provider is owed: over the reporting period, the sum of its fair share (k/n for each call it
    # was eligible for, k rung first out of n eligible) minus the first rings it got. ``share_credit_changes``
    # gives the change after each decision. It orders the rotation, so shares stay equal even when providers
    # are eligible for different calls (hours, regions, languages).
    share_credit: float = 0.0


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """Operator settings. ``version`` goes into every trace so a decision can be replayed under its policy."""

    version: str = "2026-11-1"
    disclosure_version: str = "1"
    wave_size: int = 2  # providers rung at once; 1 = plain serial failover
    later_wave_size: int | None = None  # waves after the first (None = wave_size); larger = escalate
    ring_timeout_s: int = 13  # per wave; at most 20
    ring_budget_s: int = 40  # total ringing before the terminal step
    repeat_rounds: bool = True  # ring the eligible list again while the ring budget lasts
    whisper: bool = True  # the provider hears who is calling and why
    require_accept: bool = True  # the provider presses 1, so voicemail cannot take the call
    callbacks: bool = True
    callback_deadline_min: int = 15
    callback_max_per_line: float = (
        1.0  # (calls in progress + open callbacks) per line, below which callbacks go
    )
    auto_pause_after: int = 3  # unanswered offers ...
    auto_pause_window_min: int = 60  # ... within this many minutes pause the provider
    continuity_days: int = 0  # 0 = off; else a repeat caller goes first to the provider who answered last
    # The caller's 9 and 0 work while a wave rings: only when every adapter carrying calls can hear them (the SIP
    # controller, Twilio's queue shape; never Twilio's ``<Dial>``), as the keys claim then says so.
    keys_while_ringing: bool = False

    def __post_init__(self) -> None:
        if self.wave_size < 1 or (self.later_wave_size is not None and self.later_wave_size < 1):
            raise ValueError("wave sizes must be at least 1")
        if not 5 <= self.ring_timeout_s <= 20:
            raise ValueError("ring_timeout_s must be between 5 and 20 seconds")
        if self.ring_budget_s < self.ring_timeout_s:
            raise ValueError("ring_budget_s must allow at least one wave")
        if self.auto_pause_after < 1 or self.callback_deadline_min < 1:
            raise ValueError("auto_pause_after and callback_deadline_min must be positive")


@dataclass(frozen=True, slots=True)
class ListingTarget:
    """A directory facility's verified phone, for calls to its listing number."""

    facility_id: str
    name: str
    phone: str


INPUT_TYPES: tuple[type, ...] = (
    CallContext,
    ProviderSnapshot,
    RoutingPolicy,
    ListingTarget,
    Schedule,
    TimeRange,
)
