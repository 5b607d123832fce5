"""The queries behind ``call_figures``: the call records of a period as plain rows (three queries).

Nothing read here identifies a caller: no number, no keyed hash (``caller_hmac``), no state or ZIP. Only fields the
retention purge keeps are read (times, outcome, attempts, keys pressed, the trace's order), so the figures of a
period are the same before and after its call details are erased.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from clearline.reports.call_figures import CallbackRow, CallRow, Ring, bounds
from clearline.telephony.models import Attempt, Call, CallbackRequest


@dataclass(frozen=True)
class Period:
    """Local days first..last in ``zone``, optionally one helpline number and/or one provider."""

    first: dt.date
    last: dt.date
    zone: zoneinfo.ZoneInfo
    helpline_id: int | None = None
    provider_id: int | None = None


def _keys(presses: object) -> tuple[str, ...]:
    if not isinstance(presses, list):
        return ()
    return tuple(str(p[0]) for p in presses if isinstance(p, list | tuple) and p)


def call_rows(period: Period) -> list[CallRow]:
    """Every call started in the period (helpline and listing), with the providers rung for it."""
    start, end = bounds(period.first, period.last, period.zone)
    calls = Call.objects.filter(started_at__gte=start, started_at__lt=end)
    if period.helpline_id is not None:
        calls = calls.filter(helpline_id=period.helpline_id)
    if period.provider_id is not None:
        calls = calls.filter(
            Exists(Attempt.objects.filter(call=OuterRef("pk"), provider_id=period.provider_id))
        )
    rings: dict[int, dict[int, Ring]] = defaultdict(dict)
    attempts = Attempt.objects.filter(call__in=calls.values("pk")).order_by("started_at", "pk")
    for call_id, provider_id, started_at, answered_at in attempts.values_list(
        "call_id", "provider_id", "started_at", "answered_at"
    ):
        first = rings[call_id].get(provider_id)
        if first is None:
            rings[call_id][provider_id] = Ring(provider_id, started_at, answered_at)
        elif answered_at is not None and first.answered_at is None:
            # The ring it answered, from when that ring began: its wait is not counted from an earlier wave.
            rings[call_id][provider_id] = Ring(provider_id, started_at, answered_at)
    rows = []
    for values in calls.order_by("started_at", "pk").values_list(
        "pk",
        "number_kind",
        "outcome",
        "started_at",
        "routing_started_at",
        "answered_at",
        "connected_provider_id",
        "helpline_id",
        "key_presses",
        "trace__order",
    ):
        pk, kind, outcome, started, routing, answered, connected, helpline, keys, order = values
        rows.append(
            CallRow(
                call_id=pk,
                number_kind=kind,
                outcome=outcome,
                started_at=started,
                routing_started_at=routing,
                answered_at=answered,
                connected_provider_id=connected,
                helpline_id=helpline,
                rings=tuple(rings.get(pk, {}).values()),
                keys=_keys(keys),
                nobody_eligible=order == [],
            )
        )
    return rows


def callback_rows(period: Period) -> list[CallbackRow]:
    """Callback requests made in the period (by their current provider, if the period names one)."""
    start, end = bounds(period.first, period.last, period.zone)
    requests = CallbackRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    if period.helpline_id is not None:
        requests = requests.filter(call__helpline_id=period.helpline_id)
    if period.provider_id is not None:
        requests = requests.filter(provider_id=period.provider_id)
    return [
        CallbackRow(provider, status, created, due, closed, reassigned, helpline)
        for provider, status, created, due, closed, reassigned, helpline in requests.values_list(
            "provider_id", "status", "created_at", "due_at", "closed_at", "reassignments", "call__helpline_id"
        )
    ]
