"""Monthly and daily figures per provider, from the stored daily rows and today's live records.

``monthly_figures(provider_id, year, month)`` is what the provider portal and the transparency page show. Days
that are over and final (``DailyTotals.final``) are read from the daily rows the worker stored; today, and any day
the worker has not finished yet, are computed from the call records. The arithmetic is in ``aggregates``.
Months and days are the operator's (settings.TIME_ZONE).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from clearline.reports import aggregates
from clearline.reports.aggregates import AttemptRow, CallbackRow, DayCounts, PeriodFigures
from clearline.reports.models import DailyProviderFigures, DailyTotals
from clearline.routing import NumberKind
from clearline.telephony.models import Attempt, Call, CallbackRequest, CallOutcome


@dataclass(frozen=True)
class MonthlyFigures:
    """One provider's month, with every provider's month beside it for comparison.

    ``provider`` and ``totals`` have the same fields (``aggregates.PeriodFigures``): offered, answered,
    answer_rate (None without calls), median_answer_s, p90_answer_s, callbacks_assigned, callbacks_on_time,
    callbacks_late, callbacks_open, callbacks_not_returned, helpline_connected. ``totals.offered`` counts
    distinct calls (a call rung at two providers once). ``connected_share`` is the provider's share of all
    general-helpline calls connected to any provider (None when none were). ``through`` is the last day
    included: the month's last day, or today for the current month (None for a month that has not begun).
    """

    provider_id: int
    year: int
    month: int
    through: dt.date | None
    provider: PeriodFigures
    totals: PeriodFigures
    connected_share: float | None
    providers_with_calls: int


def operator_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), operator_zone()).date()


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of the operator's local day (DST-safe: midnight exists in every US zone)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=operator_zone())


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, operator_zone()).date()


def live_counts(first: dt.date, last: dt.date) -> dict[dt.date, tuple[dict[int, DayCounts], DayCounts]]:
    """Each day's figures from the call records, for the days first..last (three queries whatever the span)."""
    start, end = day_start(first), day_start(last + dt.timedelta(days=1))
    attempts: dict[dt.date, list[AttemptRow]] = defaultdict(list)
    for call_id, call_started, provider_id, status, started_at, answered_at in Attempt.objects.filter(
        call__started_at__gte=start, call__started_at__lt=end, call__number_kind=NumberKind.HELPLINE.value
    ).values_list("call_id", "call__started_at", "provider_id", "status", "started_at", "answered_at"):
        attempts[_local_date(call_started)].append(
            AttemptRow(call_id, provider_id, status, started_at, answered_at)
        )
    callbacks: dict[dt.date, list[CallbackRow]] = defaultdict(list)
    for provider_id, status, due_at, closed_at, created_at in CallbackRequest.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).values_list("provider_id", "status", "due_at", "closed_at", "created_at"):
        callbacks[_local_date(created_at)].append(CallbackRow(provider_id, status, due_at, closed_at))
    connected: dict[dt.date, list[int | None]] = defaultdict(list)
    for provider_id, started_at in Call.objects.filter(
        started_at__gte=start,
        started_at__lt=end,
        number_kind=NumberKind.HELPLINE.value,
        outcome=CallOutcome.CONNECTED,
    ).values_list("connected_provider_id", "started_at"):
        connected[_local_date(started_at)].append(provider_id)
    result = {}
    day = first
    while day <= last:
        result[day] = aggregates.day_counts(
            attempts.get(day, []), callbacks.get(day, []), aggregates.connected_counts(connected.get(day, []))
        )
        day += dt.timedelta(days=1)
    return result


def _stored_counts(row: DailyProviderFigures) -> DayCounts:
    """A stored day back as the counts it was made from (the model has exactly DayCounts' fields)."""
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(DayCounts)}
    return DayCounts(**{**values, "answer_seconds": list(row.answer_seconds)})


def period_counts(
    first: dt.date, last: dt.date, today: dt.date
) -> tuple[dict[int, DayCounts], DayCounts, int]:
    """Every provider's and the overall counts for first..last (days after today are ignored).

    Returns (per provider, totals, distinct offered calls are in totals.offered).
    """
    last = min(last, today)
    per_days: list[tuple[dict[int, DayCounts], DayCounts]] = []
    if first <= last:
        final_days = {
            row.date: row
            for row in DailyTotals.objects.filter(date__gte=first, date__lte=last, date__lt=today)
            if row.final
        }
        stored: dict[dt.date, dict[int, DayCounts]] = defaultdict(dict)
        for row in DailyProviderFigures.objects.filter(date__in=list(final_days)):
            stored[row.date][row.provider_id] = _stored_counts(row)
        for day, day_totals in final_days.items():
            per = stored.get(day, {})
            total = aggregates.sum_counts(per.values())
            total.offered = day_totals.offered
            per_days.append((per, total))
        missing = [
            first + dt.timedelta(days=n)
            for n in range((last - first).days + 1)
            if first + dt.timedelta(days=n) not in final_days
        ]
        if missing:
            live = live_counts(min(missing), max(missing))
            per_days.extend(live[day] for day in missing)
    by_provider: dict[int, list[DayCounts]] = defaultdict(list)
    for per, _total in per_days:
        for provider_id, counts in per.items():
            by_provider[provider_id].append(counts)
    providers = {pid: aggregates.sum_counts(days) for pid, days in by_provider.items()}
    totals = aggregates.sum_counts(total for _per, total in per_days)
    with_calls = sum(1 for counts in providers.values() if counts.offered)
    return providers, totals, with_calls


def monthly_figures(
    provider_id: int, year: int, month: int, *, now: dt.datetime | None = None
) -> MonthlyFigures:
    """The provider's figures for the month (operator's time zone), with all providers' figures beside them."""
    days = aggregates.month_days(year, month)
    today = local_today(now)
    providers, totals, with_calls = period_counts(days[0], days[-1], today)
    mine = providers.get(provider_id, DayCounts())
    through = min(days[-1], today) if days[0] <= today else None
    return MonthlyFigures(
        provider_id=provider_id,
        year=year,
        month=month,
        through=through,
        provider=aggregates.period_figures(mine),
        totals=aggregates.period_figures(totals),
        connected_share=aggregates.ratio(mine.helpline_connected, totals.helpline_connected),
        providers_with_calls=with_calls,
    )
