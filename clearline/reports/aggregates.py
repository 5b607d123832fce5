"""The arithmetic of the published figures, as pure functions (no Django, no database).

Inputs are plain tuples read by ``clearline.reports.figures``; outputs are plain numbers and frozen dataclasses.
Conventions (docs/operations.md, "Figures"):

- *offered*: distinct calls in which the provider was rung at least once; *answered*: calls it accepted (pressed
  1). A call is accepted by at most one provider, so the providers' answered counts add up to the total.
- *seconds to answer*: from the moment the provider's phone started ringing for that call (the attempt that it
  accepted) to its acceptance, in whole seconds. Median: the usual middle value (mean of the two middle values
  for an even count); 90th percentile: the nearest-rank value (the smallest value at or above 90 % of them).
- *callbacks*: counted for the provider the request is assigned to now (a reassigned request counts for its
  new provider) on the day it was requested; returned on time = closed by the provider at or before its deadline.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ACCEPTED = "accepted"
CALLBACK_OPEN = "open"
CALLBACK_RETURNED = "returned"
CALLBACK_EXPIRED = "expired"


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (shown as "no calls", never as 0 %)."""
    return part / whole if whole else None


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[int], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least pct % of the values at or below it."""
    if not values:
        return None
    if not 0 < pct <= 100:
        raise ValueError("pct must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))
    return float(ordered[rank - 1])


def seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds from start to end, never negative (clocks of two webhooks may disagree by a moment)."""
    return max(0, int((end - start).total_seconds()))


@dataclass(frozen=True)
class AttemptRow:
    call_id: int
    provider_id: int
    status: str
    started_at: dt.datetime
    answered_at: dt.datetime | None


@dataclass(frozen=True)
class CallbackRow:
    provider_id: int
    status: str
    due_at: dt.datetime
    closed_at: dt.datetime | None


@dataclass
class DayCounts:
    """One provider's figures for one day (or, with provider_id None, every provider's together)."""

    offered: int = 0
    answered: int = 0
    answer_seconds: list[int] = field(default_factory=list)
    callbacks_assigned: int = 0
    callbacks_on_time: int = 0
    callbacks_late: int = 0
    callbacks_open: int = 0
    callbacks_not_returned: int = 0
    helpline_connected: int = 0

    def is_empty(self) -> bool:
        return not (self.offered or self.callbacks_assigned or self.helpline_connected)


def callback_state(row: CallbackRow) -> str:
    """'on_time', 'late', 'open' or 'not_returned'."""
    if row.status == CALLBACK_OPEN:
        return "open"
    if row.status == CALLBACK_RETURNED:
        return "on_time" if row.closed_at is not None and row.closed_at <= row.due_at else "late"
    return "not_returned"


def day_counts(
    attempts: Iterable[AttemptRow],
    callbacks: Iterable[CallbackRow],
    connected_by_provider: dict[int, int],
) -> tuple[dict[int, DayCounts], DayCounts]:
    """Per-provider counts for one day, and the totals across all providers.

    The totals' ``offered`` counts distinct calls (a call rung at two providers is one call offered), so it is not
    the sum of the providers' ``offered``; every other total is a sum.
    """
    per: dict[int, DayCounts] = defaultdict(DayCounts)
    offered_calls: dict[int, set[int]] = defaultdict(set)
    all_calls: set[int] = set()
    for attempt in attempts:
        offered_calls[attempt.provider_id].add(attempt.call_id)
        all_calls.add(attempt.call_id)
        if attempt.status == ACCEPTED and attempt.answered_at is not None:
            counts = per[attempt.provider_id]
            counts.answered += 1
            counts.answer_seconds.append(seconds_between(attempt.started_at, attempt.answered_at))
    for provider_id, calls in offered_calls.items():
        per[provider_id].offered = len(calls)
    for callback in callbacks:
        counts = per[callback.provider_id]
        counts.callbacks_assigned += 1
        state = callback_state(callback)
        if state == "on_time":
            counts.callbacks_on_time += 1
        elif state == "late":
            counts.callbacks_late += 1
        elif state == "open":
            counts.callbacks_open += 1
        else:
            counts.callbacks_not_returned += 1
    for provider_id, connected in connected_by_provider.items():
        per[provider_id].helpline_connected = connected
    total = sum_counts(per.values())
    total.offered = len(all_calls)
    return dict(per), total


def sum_counts(days: Iterable[DayCounts]) -> DayCounts:
    """Add day counts up (offered included: callers wanting distinct calls across providers set it themselves)."""
    total = DayCounts()
    seconds: list[int] = []
    for day in days:
        total.offered += day.offered
        total.answered += day.answered
        seconds.extend(day.answer_seconds)
        total.callbacks_assigned += day.callbacks_assigned
        total.callbacks_on_time += day.callbacks_on_time
        total.callbacks_late += day.callbacks_late
        total.callbacks_open += day.callbacks_open
        total.callbacks_not_returned += day.callbacks_not_returned
        total.helpline_connected += day.helpline_connected
    total.answer_seconds = sorted(seconds)
    return total


@dataclass(frozen=True)
class PeriodFigures:
    """Figures over a period (a month), as published."""

    offered: int
    answered: int
    answer_rate: float | None
    median_answer_s: float | None
    p90_answer_s: float | None
    callbacks_assigned: int
    callbacks_on_time: int
    callbacks_late: int
    callbacks_open: int
    callbacks_not_returned: int
    helpline_connected: int

    @property
    def callbacks_on_time_rate(self) -> float | None:
        """Share of the returned callbacks that were returned on time."""
        return ratio(self.callbacks_on_time, self.callbacks_on_time + self.callbacks_late)


def period_figures(counts: DayCounts) -> PeriodFigures:
    return PeriodFigures(
        offered=counts.offered,
        answered=counts.answered,
        answer_rate=ratio(counts.answered, counts.offered),
        median_answer_s=median(counts.answer_seconds),
        p90_answer_s=percentile(counts.answer_seconds, 90),
        callbacks_assigned=counts.callbacks_assigned,
        callbacks_on_time=counts.callbacks_on_time,
        callbacks_late=counts.callbacks_late,
        callbacks_open=counts.callbacks_open,
        callbacks_not_returned=counts.callbacks_not_returned,
        helpline_connected=counts.helpline_connected,
    )


def month_days(year: int, month: int) -> list[dt.date]:
    if not 1 <= month <= 12:
        raise ValueError("month must be 1..12")
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return [first + dt.timedelta(days=n) for n in range((following - first).days)]


def connected_counts(provider_ids: Iterable[int | None]) -> dict[int, int]:
    """Connected general-helpline calls per provider, from each call's connected provider."""
    return dict(Counter(pid for pid in provider_ids if pid is not None))


# Claim checks (the worker's check of each finished call against what its caller was told) ------------------------


@dataclass(frozen=True)
class ContradictedClaim:
    """One claim some calls contradicted: its stored values (``routing.claims.Claim.as_dict``) and how many."""

    kind: str
    claim: dict[str, object]
    calls: int


@dataclass(frozen=True)
class ClaimChecks:
    """A period's calls checked against their claims: ``checked`` calls, ``contradicted`` of them (a call counts
    once however many claims it contradicted), ``not_checked`` calls of the period that were not (made before
    claims were stored, or not finished yet), and each claim contradicted with its number of calls, most first."""

    checked: int
    contradicted: int
    not_checked: int
    claims: tuple[ContradictedClaim, ...]


def _claim_key(claim: object) -> str:
    return json.dumps(claim, sort_keys=True, separators=(",", ":"), default=list)


def claim_checks(checked: int, not_checked: int, contradicting: Iterable[Sequence[object]]) -> ClaimChecks:
    """Count the claims contradicted by each contradicting call (``contradicting``: each call's stored list of
    ``{"kind", "claim"}``). The same claim (same values) contradicted twice by one call counts once for it."""
    calls = 0
    per_claim: Counter[str] = Counter()
    values: dict[str, dict[str, object]] = {}
    for violations in contradicting:
        found = {}
        for violation in violations:
            if isinstance(violation, dict) and isinstance(violation.get("claim"), dict):
                found[_claim_key(violation["claim"])] = violation["claim"]
        if not found:
            continue
        calls += 1
        per_claim.update(found.keys())
        values.update(found)
    claims = sorted(
        (ContradictedClaim(str(values[key].get("kind", "")), values[key], n) for key, n in per_claim.items()),
        key=lambda c: (-c.calls, c.kind, _claim_key(c.claim)),
    )
    return ClaimChecks(checked=checked, contradicted=calls, not_checked=not_checked, claims=tuple(claims))
