"""The worker's side of the figures: store each day's figures, and purge old call details once they are stored.

``compute_daily_figures`` upserts one ``DailyProviderFigures`` row per provider with activity and one
``DailyTotals`` row per day (unique per provider and day, and per day): running it twice, or in two workers at
once, leaves the same rows. ``purge_old_call_details`` erases per-call detail past the retention period
(``clearline.telephony.retention``, except the decision trace, which the routing log needs longer), one day at a
time, and only for days whose figures are complete.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearline.lib.pagecache import bump_generation
from clearline.reports import call_figures
from clearline.reports.call_rows import Period, call_rows
from clearline.reports.figures import day_start, live_counts, local_today, operator_zone
from clearline.reports.models import DailyProviderFigures, DailyTotals
from clearline.telephony import retention

logger = logging.getLogger(__name__)

PROVIDER_FIELDS = [
    "offered",
    "answered",
    "answer_seconds",
    "callbacks_assigned",
    "callbacks_on_time",
    "callbacks_late",
    "callbacks_open",
    "callbacks_not_returned",
    "helpline_connected",
    "computed_at",
]
CALL_FIELDS = ["helpline_calls", "abandoned", "calls_in_progress", "no_provider"]
TOTALS_FIELDS = [
    "offered",
    "answered",
    "helpline_connected",
    "callbacks_open",
    "computed_at",
    "complete",
    *CALL_FIELDS,
]
# What the public transparency page shows of a day (every stored figure but the moment it was computed).
PUBLISHED_PROVIDER_FIELDS = [name for name in PROVIDER_FIELDS if name != "computed_at"]
PUBLISHED_TOTALS_FIELDS = ["offered", "answered", "helpline_connected", "callbacks_open", *CALL_FIELDS]


def _published_values(rows: list[DailyProviderFigures], totals: DailyTotals | None) -> tuple[object, ...]:
    provider_values = sorted(
        (row.provider_id, *(getattr(row, name) for name in PUBLISHED_PROVIDER_FIELDS)) for row in rows
    )
    totals_values = None if totals is None else [getattr(totals, name) for name in PUBLISHED_TOTALS_FIELDS]
    return (provider_values, totals_values)


def compute_day(day: dt.date, now: dt.datetime | None = None) -> DailyTotals:
    """Recompute and store one day's figures from the call records (an upsert)."""
    moment = now or timezone.now()
    per, total = live_counts(day, day)[day]
    calls = call_rows(Period(day, day, operator_zone()))
    summary = call_figures.summary(calls, [])
    rows = [
        DailyProviderFigures(
            provider_id=provider_id,
            date=day,
            computed_at=moment,
            **{**dataclasses.asdict(counts), "answer_seconds": sorted(counts.answer_seconds)},
        )
        for provider_id, counts in sorted(per.items())
        if not counts.is_empty()
    ]
    totals = DailyTotals(
        date=day,
        offered=total.offered,
        answered=total.answered,
        helpline_connected=total.helpline_connected,
        callbacks_open=total.callbacks_open,
        computed_at=moment,
        complete=moment >= day_start(day + dt.timedelta(days=1)),
        helpline_calls=summary.calls,
        abandoned=summary.abandoned,
        calls_in_progress=summary.in_progress,
        no_provider=call_figures.no_provider_counts(calls),
    )
    # The transparency page publishes finished months, and the page cache keeps a month's page only once all its
    # days are final (reports/transparency.py), so a cached page shows stored rows of final days only. When such
    # a day's figures change here, bump the page generation in this transaction: the figures and the new
    # generation become visible together (a page rendered in between is not kept: the cache middleware compares
    # the generation after rendering). Only changes bump: the job recomputes yesterday all day on the 1st.
    published = day < local_today(moment).replace(day=1)
    with transaction.atomic():
        stored_totals = DailyTotals.objects.filter(date=day).first() if published else None
        before = (
            _published_values(list(DailyProviderFigures.objects.filter(date=day)), stored_totals)
            if stored_totals is not None and stored_totals.final
            else None
        )
        # Rows in provider order, then the day's totals: two workers doing this at once queue behind each other
        # on the same unique keys in the same order (no deadlock), and the later one rewrites the same values.
        DailyProviderFigures.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["provider", "date"], update_fields=PROVIDER_FIELDS
        )
        DailyProviderFigures.objects.filter(date=day).exclude(
            provider_id__in=[row.provider_id for row in rows]
        ).delete()
        DailyTotals.objects.bulk_create(
            [totals], update_conflicts=True, unique_fields=["date"], update_fields=TOTALS_FIELDS
        )
        if before is not None and before != _published_values(rows, totals):
            bump_generation()
    return DailyTotals.objects.get(date=day)


def days_to_compute(now: dt.datetime) -> list[dt.date]:
    """Yesterday and today, and every earlier day whose stored figures are not final yet (computed before the day
    ended, or with callbacks still open then) or that had calls in progress then (a call that never reports its
    end is ended by the nightly reconciliation; until then its day is recomputed)."""
    today = local_today(now)
    days = {today, today - dt.timedelta(days=1)}
    final = Q(complete=True, callbacks_open=0, calls_in_progress=0, helpline_calls__isnull=False)
    # helpline_calls is null on days stored before the call figures existed: computed once more, they are stored
    # instead of being counted from the calls on every request for their month.
    days.update(DailyTotals.objects.filter(date__lt=today).exclude(final).values_list("date", flat=True))
    return sorted(days)


def compute_daily_figures(day: dt.date | None = None, now: dt.datetime | None = None) -> list[dt.date]:
    """Store the figures of ``day``, or by default of the days ``days_to_compute`` names; returns the days."""
    moment = now or timezone.now()
    days = [day] if day is not None else days_to_compute(moment)
    for each in days:
        compute_day(each, moment)
    return days


def purge_old_call_details(now: dt.datetime | None = None) -> int:
    """Erase per-call detail of calls past the retention period, one whole local day at a time, and only days
    whose figures are complete (computed after the day ended; computed here first if they are not)."""
    moment = now or timezone.now()
    zone = operator_zone()
    # Whole days only: a day is erased once its last moment is past the retention period.
    first_kept_day = local_today(retention.retention_cutoff(moment))
    purged = 0
    for day in retention.days_with_details(before=day_start(first_kept_day), zone=zone):
        totals = DailyTotals.objects.filter(date=day).first()
        if totals is None or not totals.complete:
            totals = compute_day(day, moment)
        if not totals.complete:  # cannot happen for a past day; never erase what the figures might still need
            logger.warning("Figures of %s are not complete; its call details are kept for now", day)
            continue
        purged += retention.purge_call_details(day_start(day), day_start(day + dt.timedelta(days=1)))
    if purged:
        logger.info("Erased the call details of %s calls past the retention period", purged)
    return purged
