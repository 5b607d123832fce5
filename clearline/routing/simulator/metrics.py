"""The figures the simulator reports for each strategy (definitions in ``docs/simulation.md``)."""

from __future__ import annotations

import math
from typing import Any

from clearline.routing.simulator.engine import Result
from clearline.routing.simulator.state import LOSS_CAUSES

ANSWER_SLA_S = 30.0
RETURN_SLA_S = 15 * 60.0


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return round(ordered[rank - 1], 2)


def losses(result: Result) -> dict[str, int]:
    """Callers neither answered live nor called back on time, by cause (every cause present, 0 if none)."""
    counts = dict.fromkeys(LOSS_CAUSES, 0)
    for record in result.records:
        cause = record.loss
        if cause is not None:
            counts[cause] += 1
    return counts


def metrics(result: Result) -> dict[str, Any]:
    """The figures; with ``claims`` only for strategies that make claims (the ``clearline`` ones)."""
    records = result.records
    calls = len(records)
    waits = [r.time_to_human for r in records if r.time_to_human is not None]
    returned_15 = sum(
        1
        for r in records
        if r.callback is not None
        and r.callback.returned is not None
        and r.callback.returned - r.arrival <= RETURN_SLA_S
    )
    answered_15 = sum(1 for w in waits if w <= RETURN_SLA_S)
    callbacks = result.callbacks
    on_time = sum(1 for c in callbacks if c.returned is not None and c.returned <= c.deadline)
    deviation = max(
        (abs(p.first_wave_rings - p.first_wave_expected) for p in result.providers),
        default=0.0,
    )
    return {
        "calls": calls,
        "answered_by_human_pct": _pct(len(waits), calls),
        "human_within_30s_pct": _pct(sum(1 for w in waits if w <= ANSWER_SLA_S), calls),
        "answered_or_returned_15min_pct": _pct(answered_15 + returned_15, calls),
        "abandoned_pct": _pct(sum(1 for r in records if r.abandoned), calls),
        "asa_s": round(sum(waits) / len(waits), 2) if waits else None,
        "p90_time_to_human_s": _percentile(waits, 90),
        "max_share_deviation_pts": round(100.0 * deviation / calls, 2) if calls else 0.0,
        "cap_overruns": result.cap_overruns,
        "callbacks_created": len(callbacks),
        "callbacks_returned_on_time_pct": _pct(on_time, len(callbacks)) if callbacks else None,
        "free_helpline_pct": _pct(sum(1 for r in records if r.free_line), calls),
        "losses": losses(result),
    } | ({} if result.claims is None else {"claims": result.claims.as_dict()})
