"""Call figures for dashboards, the portal and the public page, as pure functions (no Django, no database).

Inputs are plain rows (``CallRow``, ``CallbackRow``) read by ``clearline.reports.call_rows``; outputs are frozen
dataclasses of plain numbers. Definitions (docs/operations.md, "Call figures"):

- *helpline calls*: general-helpline calls that have ended (listing-number calls ring a facility, never a
  provider: they appear in the volume by hour and day as their own series and nowhere else).
- *answered*: connected to a human at a provider (who pressed 1). *answer rate*: answered / helpline calls.
- *wait*: from the moment the call started routing (``routing_started_at``: it arrived and its plan was made, so
  the spoken disclosure counts) to the human's acceptance; for one
  provider's figures, from the moment that provider's phone started ringing (another provider's ringing is not
  counted against it). *service level*: share of helpline calls answered within 20 s of that start.
  Average and 90th percentile (nearest rank) of the waits of answered calls.
- *abandoned*: the caller hung up before reaching a person (``abandoned`` outcome). *abandonment*: abandoned /
  helpline calls.
- *callbacks*: requests made in the period, counted for the provider they are assigned to now; *on time*:
  returned at or before the deadline; the on-time rate is over the requests that are closed (returned on time,
  late, or not returned).
- *share*: a provider's share of the answered calls against the equal share (1 / providers offered any call).
- *reached no provider*: ended helpline calls nobody accepted, by where they went (``NO_PROVIDER_REASONS``).

Days and hours are local to ``zone`` (the operator's), so a day of a daylight-saving change has 23 or 25 hours
and its hours are counted where the wall clock put them.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

HELPLINE = "helpline"
LISTING = "listing"
SERVICE_LEVEL_SECONDS = 20
# Below this many calls a rate, time or share is withheld where providers or the public see it (counts are shown),
# the same rule as the transparency page's (transparency.MIN_OFFERED_FOR_RATES).
MIN_CALLS_FOR_RATES = 5

# Where a helpline call that reached no provider went, in the order they are checked.
CRISIS_LINE = "crisis_line"  # the caller pressed 9: transferred to the 988 Lifeline
FREE_LINE_CHOSEN = "free_line_chosen"  # the caller pressed 0: transferred to the free national helpline
HUNG_UP = "hung_up"  # the caller hung up before reaching a person
CALLBACK = "callback"  # nobody answered; the caller asked for a callback
NOBODY_ELIGIBLE = "nobody_eligible"  # no provider could take the call; sent to the free national helpline
# Nobody answered and no callback was arranged: the caller did not press 1 at the offer, or pressed it and no
# provider had room. Both end at the free line with the same records, so they are one reason, said so publicly.
NO_CALLBACK = "no_callback"
FALLBACK = "fallback"  # the system failed; the caller got the fallback (crisis line and free helpline)
NO_PROVIDER_REASONS = (
    CRISIS_LINE,
    FREE_LINE_CHOSEN,
    HUNG_UP,
    CALLBACK,
    NOBODY_ELIGIBLE,
    NO_CALLBACK,
    FALLBACK,
)

# Call outcomes (telephony.models.CallOutcome values; repeated here so this module imports nothing).
_PENDING = "pending"
_CONNECTED = "connected"
_CRISIS = "transferred_crisis"
_FREE = "transferred_free"
_CALLBACK = "callback"
_ABANDONED = "abandoned"
_FALLBACK = "fallback"


@dataclass(frozen=True)
class Ring:
    """A provider rung for the call: the ring it answered, else its first (rung in several waves)."""

    provider_id: int
    started_at: dt.datetime
    answered_at: dt.datetime | None = None


@dataclass(frozen=True)
class CallRow:
    call_id: int
    number_kind: str
    outcome: str
    started_at: dt.datetime
    routing_started_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    connected_provider_id: int | None = None
    helpline_id: int | None = None
    rings: tuple[Ring, ...] = ()
    keys: tuple[str, ...] = ()  # the digits the caller pressed (9, 0)
    nobody_eligible: bool = False  # the decision trace lists no eligible provider

    @property
    def ended(self) -> bool:
        return self.outcome != _PENDING

    def rang(self, provider_id: int) -> Ring | None:
        return next((ring for ring in self.rings if ring.provider_id == provider_id), None)


@dataclass(frozen=True)
class CallbackRow:
    provider_id: int
    status: str  # open, returned, expired
    created_at: dt.datetime
    due_at: dt.datetime
    closed_at: dt.datetime | None = None
    reassignments: int = 0
    helpline_id: int | None = None


def no_provider_reason(call: CallRow) -> str | None:
    """Where an ended helpline call that nobody accepted went instead (None if a provider answered it, if it is
    still in progress, or if it was a listing call)."""
    if call.number_kind != HELPLINE or not call.ended or call.outcome == _CONNECTED:
        return None
    if call.outcome == _CRISIS:
        return CRISIS_LINE
    if call.outcome == _FREE:
        if "0" in call.keys:
            return FREE_LINE_CHOSEN
        return NOBODY_ELIGIBLE if call.nobody_eligible else NO_CALLBACK
    if call.outcome == _ABANDONED:
        return HUNG_UP
    if call.outcome == _CALLBACK:
        return CALLBACK
    return FALLBACK


def wait_seconds(call: CallRow, provider_id: int | None = None) -> int | None:
    """Seconds the caller waited for the human who answered (see the module's definitions); None if unanswered."""
    if call.answered_at is None or call.connected_provider_id is None:
        return None
    if provider_id is not None:
        ring = call.rang(provider_id)
        start = ring.started_at if ring is not None else call.started_at
    else:
        start = call.routing_started_at or call.started_at
    return max(0, int((call.answered_at - start).total_seconds()))


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def nearest_rank(values: Sequence[int], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1])


@dataclass(frozen=True)
class Summary:
    calls: int  # ended helpline calls (offered to the provider, for one provider's figures)
    answered: int
    answered_in_level: int
    abandoned: int
    waits: tuple[int, ...]
    in_progress: int
    callbacks: int
    callbacks_on_time: int
    callbacks_late: int
    callbacks_not_returned: int
    callbacks_open: int
    callbacks_reassigned: int

    @property
    def answer_rate(self) -> float | None:
        return ratio(self.answered, self.calls)

    @property
    def service_level(self) -> float | None:
        return ratio(self.answered_in_level, self.calls)

    @property
    def abandonment(self) -> float | None:
        return ratio(self.abandoned, self.calls)

    @property
    def average_wait(self) -> float | None:
        return sum(self.waits) / len(self.waits) if self.waits else None

    @property
    def p90_wait(self) -> float | None:
        return nearest_rank(self.waits, 90)

    @property
    def callbacks_closed(self) -> int:
        return self.callbacks_on_time + self.callbacks_late + self.callbacks_not_returned

    @property
    def callbacks_on_time_rate(self) -> float | None:
        return ratio(self.callbacks_on_time, self.callbacks_closed)

    @property
    def too_few_calls(self) -> bool:
        return self.calls < MIN_CALLS_FOR_RATES

    @property
    def too_few_callbacks(self) -> bool:
        return self.callbacks_closed < MIN_CALLS_FOR_RATES


def callback_state(row: CallbackRow) -> str:
    """'on_time', 'late', 'open' or 'not_returned'."""
    if row.status == "open":
        return "open"
    if row.status == "returned" and row.closed_at is not None:
        return "on_time" if row.closed_at <= row.due_at else "late"
    return "not_returned"


def helpline_calls(calls: Iterable[CallRow], provider_id: int | None = None) -> list[CallRow]:
    """The general-helpline calls (of one provider: those it was rung for), ended or not."""
    chosen = [c for c in calls if c.number_kind == HELPLINE]
    if provider_id is not None:
        chosen = [c for c in chosen if c.rang(provider_id) is not None]
    return chosen


def summary(
    calls: Iterable[CallRow], callbacks: Iterable[CallbackRow], provider_id: int | None = None
) -> Summary:
    """The headline figures of a period, for every provider or one (``provider_id``)."""
    mine = helpline_calls(calls, provider_id)
    ended = [c for c in mine if c.ended]
    answered = [c for c in ended if c.connected_provider_id is not None and c.outcome == _CONNECTED]
    if provider_id is not None:
        answered = [c for c in answered if c.connected_provider_id == provider_id]
    waits = tuple(w for c in answered if (w := wait_seconds(c, provider_id)) is not None)
    states = Counter(
        callback_state(cb) for cb in callbacks if provider_id is None or cb.provider_id == provider_id
    )
    assigned = [cb for cb in callbacks if provider_id is None or cb.provider_id == provider_id]
    return Summary(
        calls=len(ended),
        answered=len(answered),
        answered_in_level=sum(1 for w in waits if w <= SERVICE_LEVEL_SECONDS),
        abandoned=sum(1 for c in ended if c.outcome == _ABANDONED),
        waits=waits,
        in_progress=len(mine) - len(ended),
        callbacks=len(assigned),
        callbacks_on_time=states["on_time"],
        callbacks_late=states["late"],
        callbacks_not_returned=states["not_returned"],
        callbacks_open=states["open"],
        callbacks_reassigned=sum(1 for cb in assigned if cb.reassignments),
    )


# Volume by local hour and day -------------------------------------------------------------------------------------


def local_day(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def days_in(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def bounds(first: dt.date, last: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start, end) of the local days first..last (midnight exists in every US zone)."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class Volume:
    """Calls started per bucket: general helpline (``helpline``), of which answered, and listing calls."""

    label: str
    helpline: int = 0
    answered: int = 0
    listing: int = 0


def _volume(
    calls: Iterable[CallRow],
    key: dict[object, str],
    bucket_of: Callable[[CallRow], object],
    provider_id: int | None,
) -> list[Volume]:
    counts: dict[str, list[int]] = {label: [0, 0, 0] for label in key.values()}
    for call in calls:
        label = key.get(bucket_of(call))
        if label is None:
            continue
        if call.number_kind == LISTING:
            if provider_id is None:
                counts[label][2] += 1
            continue
        if provider_id is not None and call.rang(provider_id) is None:
            continue
        counts[label][0] += 1
        if call.outcome == _CONNECTED and provider_id in (None, call.connected_provider_id):
            counts[label][1] += 1
    return [Volume(label, *values) for label, values in counts.items()]


def by_hour(
    calls: Iterable[CallRow], zone: zoneinfo.ZoneInfo, provider_id: int | None = None
) -> list[Volume]:
    """Calls by local hour of day (00-23), over the whole period."""
    key: dict[object, str] = {hour: f"{hour:02d}:00" for hour in range(24)}
    return _volume(calls, key, lambda c: c.started_at.astimezone(zone).hour, provider_id)


def by_day(
    calls: Iterable[CallRow],
    zone: zoneinfo.ZoneInfo,
    first: dt.date,
    last: dt.date,
    provider_id: int | None = None,
) -> list[Volume]:
    """Calls by local day, first..last (every day listed, with or without calls)."""
    key: dict[object, str] = {day: day.isoformat() for day in days_in(first, last)}
    return _volume(calls, key, lambda c: local_day(c.started_at, zone), provider_id)


# Shares and calls that reached no provider ------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    provider_id: int
    offered: int  # helpline calls it was rung for
    answered: int
    share: float | None  # of all answered helpline calls
    equal_share: float | None  # 1 / providers offered any call

    @property
    def difference(self) -> float | None:
        if self.share is None or self.equal_share is None:
            return None
        return self.share - self.equal_share


def shares(calls: Iterable[CallRow]) -> list[Share]:
    """Each provider offered any ended helpline call: its answered calls' share against the equal share."""
    ended = [c for c in helpline_calls(calls) if c.ended]
    offered: Counter[int] = Counter(pid for c in ended for pid in {r.provider_id for r in c.rings})
    answered: Counter[int] = Counter(
        c.connected_provider_id for c in ended if c.outcome == _CONNECTED and c.connected_provider_id
    )
    total = sum(answered.values())
    providers = sorted(set(offered) | set(answered))
    equal = 1 / len(providers) if providers else None
    return [
        Share(pid, offered[pid], answered[pid], ratio(answered[pid], total), equal if total else None)
        for pid in providers
    ]


@dataclass(frozen=True)
class NoProvider:
    counts: dict[str, int] = field(default_factory=dict)  # reason -> calls, every reason listed
    nobody_eligible: int = 0  # of them, calls no provider was eligible for (whatever happened next)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def no_provider(calls: Iterable[CallRow], provider_id: int | None = None) -> NoProvider:
    """Ended helpline calls nobody accepted, by where they went (``NO_PROVIDER_REASONS``, each listed)."""
    counts = dict.fromkeys(NO_PROVIDER_REASONS, 0)
    eligible_none = 0
    for call in helpline_calls(calls, provider_id):
        reason = no_provider_reason(call)
        if reason is None:
            continue
        counts[reason] += 1
        eligible_none += call.nobody_eligible
    return NoProvider(counts, eligible_none)


def no_provider_counts(calls: Iterable[CallRow]) -> dict[str, int]:
    """``no_provider(calls).counts`` (the worker stores these per day)."""
    return no_provider(calls).counts
