"""A month's general helpline calls as callers lived them, for the public page: how many ended, how many callers hung
up before reaching a person, and where the calls that reached no provider went instead.

Days that are over and final are read from ``DailyTotals`` (stored by the worker, ``daily.compute_day``); any other
day (today, a day the worker has not finished, a day stored before these counts were kept) is counted from the
call records with the same functions (``call_figures``). Counts only: nothing about a single call or caller.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clearline.reports import call_figures
from clearline.reports.call_figures import MIN_CALLS_FOR_RATES, NO_PROVIDER_REASONS, local_day
from clearline.reports.call_rows import Period, call_rows
from clearline.reports.figures import local_today, operator_zone
from clearline.reports.models import DailyTotals

# Where a call that reached no provider went (call_figures.NO_PROVIDER_REASONS), in words for every audience.
REASON_LABELS = {
    call_figures.CRISIS_LINE: _("Transferred to the 988 Suicide and Crisis Lifeline (the caller pressed 9)"),
    call_figures.FREE_LINE_CHOSEN: _(
        "Transferred to the free SAMHSA National Helpline (the caller pressed 0)"
    ),
    call_figures.HUNG_UP: _("The caller hung up before reaching a person"),
    call_figures.CALLBACK: _("Nobody could answer; the caller asked for a callback"),
    call_figures.NOBODY_ELIGIBLE: _(
        "No provider could take the call; it went to the free SAMHSA National Helpline"
    ),
    call_figures.NO_CALLBACK: _(
        "Nobody answered and no callback was arranged (the caller did not ask for one, or no provider had room); "
        "it went to the free SAMHSA National Helpline"
    ),
    call_figures.FALLBACK: _(
        "A fault on our side: the caller heard the crisis line and free helpline numbers instead"
    ),
}


@dataclass(frozen=True)
class ReasonLine:
    reason: str
    label: str
    calls: int


@dataclass(frozen=True)
class MonthCalls:
    month: dt.date  # its first day
    calls: int  # ended general helpline calls
    abandoned: int
    in_progress: int
    no_provider: dict[str, int]  # every reason, in NO_PROVIDER_REASONS order

    @property
    def too_few_calls(self) -> bool:
        return self.calls < MIN_CALLS_FOR_RATES

    @property
    def abandon_percent(self) -> float | None:
        share = call_figures.ratio(self.abandoned, self.calls)
        return None if share is None else round(share * 100, 1)

    @property
    def no_provider_total(self) -> int:
        return sum(self.no_provider.values())

    @property
    def lines(self) -> list[ReasonLine]:
        return [
            ReasonLine(reason, str(REASON_LABELS[reason]), self.no_provider.get(reason, 0))
            for reason in NO_PROVIDER_REASONS
        ]


def _stored(row: DailyTotals) -> bool:
    return row.final and row.helpline_calls is not None and not row.calls_in_progress


def month_calls(first_day: dt.date, *, now: dt.datetime | None = None) -> MonthCalls:
    """The month's calls (operator's time zone): stored days added up, other days counted from the records."""
    following = (first_day + dt.timedelta(days=31)).replace(day=1)
    last = min(following - dt.timedelta(days=1), local_today(now))
    calls = abandoned = in_progress = 0
    reasons: Counter[str] = Counter(dict.fromkeys(NO_PROVIDER_REASONS, 0))
    stored_days = set()
    for row in DailyTotals.objects.filter(date__gte=first_day, date__lte=last, date__lt=local_today(now)):
        if _stored(row):
            stored_days.add(row.date)
            calls += row.helpline_calls or 0
            abandoned += row.abandoned
            reasons.update({k: int(v) for k, v in row.no_provider.items() if k in reasons})
    missing = [day for day in call_figures.days_in(first_day, last) if day not in stored_days]
    if missing:
        zone = operator_zone()
        wanted = set(missing)
        rows = [
            row
            for row in call_rows(Period(min(missing), max(missing), zone))
            if local_day(row.started_at, zone) in wanted
        ]
        summary = call_figures.summary(rows, [])
        calls += summary.calls
        abandoned += summary.abandoned
        in_progress += summary.in_progress
        reasons.update(call_figures.no_provider_counts(rows))
    return MonthCalls(
        month=first_day,
        calls=calls,
        abandoned=abandoned,
        in_progress=in_progress,
        no_provider={reason: reasons[reason] for reason in NO_PROVIDER_REASONS},
    )


CSV_HEADER = ["month", "row", "where_the_call_went", "calls"]


def csv_rows(calls: MonthCalls) -> list[list[str]]:
    """The section as CSV rows (header first), the same in every language: the ended calls, the hang-ups, the
    calls still in progress, then one row per place a call that reached no provider went (its key)."""
    month = f"{calls.month.year:04d}-{calls.month.month:02d}"
    return [
        list(CSV_HEADER),
        [month, "ended", "", str(calls.calls)],
        [month, "abandoned", "", str(calls.abandoned)],
        [month, "in_progress", "", str(calls.in_progress)],
        *([month, "no_provider", reason, str(calls.no_provider[reason])] for reason in NO_PROVIDER_REASONS),
    ]
