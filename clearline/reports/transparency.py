"""The public transparency page's data (DESIGN.md rule 9): every provider's figures for one finished month.

``published_month(year, month)`` reads the same sums as ``figures.monthly_figures`` (``figures.period_counts``:
final days from the stored daily rows, any other day from the call records), for every provider at once, and adds
what publishing needs: names, the small-count rule and whether the month's figures are final. Only finished
months are published; the month in progress appears once it is over. Counts only: nothing here identifies a
call or a caller, and nothing prices one (rule 2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import translation

from clearline.providers.models import Provider
from clearline.reports import aggregates
from clearline.reports.aggregates import DayCounts, PeriodFigures
from clearline.reports.figures import day_start, local_today, operator_zone, period_counts
from clearline.reports.models import DailyTotals
from clearline.routing import NumberKind
from clearline.telephony.call_story import claim_text
from clearline.telephony.models import Call

# Below this many offered calls a provider's rates, times and share are withheld: a handful of calls says little
# about how a provider answers, and comparing 1 of 2 with 90 of 100 would mislead. The page states the rule.
MIN_OFFERED_FOR_RATES = 5

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only: \d also matches "２０２６"
# Characters a spreadsheet may take as the start of a formula (OWASP "CSV injection"; tab and CR too).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class MonthNotPublished(Exception):
    """A month the page has no figures for: ``reason`` is IN_PROGRESS (it appears on ``appears_on``, the day
    after it ends), FUTURE, or BEFORE_FIRST (before ``first_month``, when the figures begin)."""

    IN_PROGRESS = "in_progress"
    FUTURE = "future"
    BEFORE_FIRST = "before_first"

    def __init__(self, month: dt.date, reason: str, *, first_month: dt.date, latest_month: dt.date) -> None:
        super().__init__(f"{month_text(month)}: {reason}")
        self.month = month
        self.reason = reason
        self.first_month = first_month
        self.latest_month = latest_month

    @property
    def appears_on(self) -> dt.date | None:
        return month_after(self.month) if self.reason == self.IN_PROGRESS else None


def parse_month(text: str) -> dt.date:
    """'2026-10' -> 1 October 2026; ValueError for anything else (another shape, month 00 or 13, year 0000)."""
    match = _MONTH.fullmatch(text)
    if match is None:
        raise ValueError(f"not a YYYY-MM month: {text!r}")
    return dt.date(int(match[1]), int(match[2]), 1)


def month_text(first_day: dt.date) -> str:
    """ISO year and month, '2026-10' (strftime's %Y drops the zeros of years below 1000 on glibc)."""
    return f"{first_day.year:04d}-{first_day.month:02d}"


def month_after(first_day: dt.date) -> dt.date:
    return (first_day + dt.timedelta(days=31)).replace(day=1)


def latest_month(now: dt.datetime | None = None) -> dt.date:
    """The first day of the latest finished month in the operator's time zone."""
    return (local_today(now).replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def first_month(now: dt.datetime | None = None) -> dt.date:
    """The first day of the month the figures begin: the earliest stored day or helpline call, whichever is first.

    Two cheap queries: ``DailyTotals.date`` is unique (indexed), and the first helpline call by primary key is the
    earliest one (``started_at`` is set on insert), which needs no index on ``started_at``.
    """
    candidates = [latest_month(now)]
    stored = DailyTotals.objects.aggregate(first=Min("date"))["first"]
    if stored is not None:
        candidates.append(stored)
    first_call = (
        Call.objects.filter(number_kind=NumberKind.HELPLINE.value)
        .order_by("pk")
        .values_list("started_at", flat=True)
        .first()
    )
    if first_call is not None:
        candidates.append(first_call.astimezone(operator_zone()).date())
    return min(candidates).replace(day=1)


def months_between(oldest: dt.date, latest: dt.date) -> list[dt.date]:
    """First days of the months from ``latest`` back to ``oldest``, newest first."""
    months, month = [], latest
    while month >= oldest:
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


def check_published(month: dt.date, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """Raise MonthNotPublished unless the page publishes ``month`` (a first day); else return the first and the
    latest month published."""
    latest, oldest = latest_month(now), first_month(now)
    reason = None
    if month > latest:
        reason = MonthNotPublished.IN_PROGRESS if month == month_after(latest) else MonthNotPublished.FUTURE
    elif month < oldest:
        reason = MonthNotPublished.BEFORE_FIRST
    if reason is not None:
        raise MonthNotPublished(month, reason, first_month=oldest, latest_month=latest)
    return oldest, latest


@dataclass(frozen=True)
class PublishedRow:
    """One provider's month (``provider_id`` None: all providers together), as published."""

    provider_id: int | None
    name: str
    figures: PeriodFigures
    connected_share: float | None

    @property
    def too_few_calls(self) -> bool:
        """Fewer offered calls than the small-count rule needs: counts are shown, rates, times and share not."""
        return self.figures.offered < MIN_OFFERED_FOR_RATES

    @property
    def answer_percent(self) -> float | None:
        return _percent(self.figures.answer_rate)

    @property
    def connected_percent(self) -> float | None:
        return _percent(self.connected_share)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


@dataclass(frozen=True)
class PublishedMonth:
    month: dt.date  # its first day
    rows: tuple[PublishedRow, ...]  # every provider with any figure in the month, by name
    totals: PublishedRow
    final: bool  # every day's stored figures are final: nothing shown can change any more
    first_month: dt.date  # the months published, for the month picker
    latest_month: dt.date

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.first_month, self.latest_month)

    @property
    def has_calls(self) -> bool:
        return bool(self.rows)


def published_month(year: int, month: int, *, now: dt.datetime | None = None) -> PublishedMonth:
    """Every provider's figures for a finished month, by name; raises MonthNotPublished for any other month.

    Six queries whatever the number of providers: the first month published (two), the month's daily totals
    (are they all final?), ``period_counts`` (the totals again and the providers' daily rows; three more for days
    not final), the names. Finality is read first: a day final then is read from its stored row, so a month found
    final shows stored figures only, which change only through ``daily.compute_day`` (which bumps the page cache).
    """
    first_day = dt.date(year, month, 1)
    oldest, latest = check_published(first_day, now)
    days = aggregates.month_days(year, month)
    stored_days = DailyTotals.objects.filter(date__gte=days[0], date__lte=days[-1])
    final_days = sum(1 for day in stored_days.only("complete", "callbacks_open") if day.final)
    providers, totals, _with_calls = period_counts(days[0], days[-1], local_today(now))
    # Every provider with any figure (callbacks count: a reassigned request may reach one never rung).
    active = {pid: counts for pid, counts in providers.items() if not counts.is_empty()}
    names = dict(Provider.objects.filter(pk__in=list(active)).values_list("pk", "name") if active else [])
    rows = [_row(pid, names[pid], counts, totals) for pid, counts in active.items() if pid in names]
    rows.sort(key=lambda row: (row.name.casefold(), row.name))
    return PublishedMonth(
        month=first_day,
        rows=tuple(rows),
        totals=_row(None, "", totals, totals),
        final=final_days == len(days),
        first_month=oldest,
        latest_month=latest,
    )


def _row(provider_id: int | None, name: str, counts: DayCounts, totals: DayCounts) -> PublishedRow:
    return PublishedRow(
        provider_id=provider_id,
        name=name,
        figures=aggregates.period_figures(counts),
        connected_share=aggregates.ratio(counts.helpline_connected, totals.helpline_connected),
    )


# Claim checks --------------------------------------------------------------------------------------------------
# The worker checks every finished call against what its caller was told (telephony.claim_checks); the page
# publishes, for each month, how many calls were checked and how many contradicted a claim, with the claims' words.


@dataclass(frozen=True)
class ClaimLine:
    kind: str
    text: str  # the sentence callers were shown, in the active language
    calls: int


@dataclass(frozen=True)
class PublishedClaimChecks:
    month: dt.date
    checked: int
    contradicted: int
    not_checked: int
    lines: tuple[ClaimLine, ...]

    @property
    def has_calls(self) -> bool:
        return bool(self.checked or self.not_checked)


def month_claim_checks(first_day: dt.date) -> aggregates.ClaimChecks:
    """The month's calls (every number: helpline and listing) as checked against their claims: two queries, the
    counts and the stored contradictions of the calls that have any."""
    calls = Call.objects.filter(
        started_at__gte=day_start(first_day), started_at__lt=day_start(month_after(first_day))
    )
    counts = calls.aggregate(
        total=Count("pk"), checked=Count("pk", filter=Q(claims_checked_at__isnull=False))
    )
    contradicting = (
        calls.filter(claims_checked_at__isnull=False)
        .exclude(claim_violations=[])
        .values_list("claim_violations", flat=True)
    )
    return aggregates.claim_checks(counts["checked"], counts["total"] - counts["checked"], contradicting)


def published_claim_checks(first_day: dt.date) -> PublishedClaimChecks:
    """``month_claim_checks`` with each contradicted claim in words (the active language). Two claims worded
    alike (the same sentence made under two disclosure versions) are one line."""
    checks = month_claim_checks(first_day)
    lines: dict[str, ClaimLine] = {}
    for item in checks.claims:
        text = claim_text(item.claim)
        seen = lines.get(text)
        lines[text] = ClaimLine(item.kind, text, item.calls + (seen.calls if seen else 0))
    return PublishedClaimChecks(
        month=first_day,
        checked=checks.checked,
        contradicted=checks.contradicted,
        not_checked=checks.not_checked,
        lines=tuple(sorted(lines.values(), key=lambda line: (-line.calls, line.kind, line.text))),
    )


CLAIMS_CSV_HEADER = ["month", "row", "claim_kind", "claim", "calls"]


def claims_csv_rows(first_day: dt.date) -> list[list[str]]:
    """The month's claim checks as CSV rows (header first): its checked, contradicting and unchecked calls, then
    one row per claim contradicted. The same in every language: the claims' words are the English ones."""
    with translation.override("en"):
        checks = published_claim_checks(first_day)
    month = month_text(first_day)
    return [
        list(CLAIMS_CSV_HEADER),
        [month, "checked", "", "", str(checks.checked)],
        [month, "contradicted", "", "", str(checks.contradicted)],
        [month, "not_checked", "", "", str(checks.not_checked)],
        *([month, "claim", line.kind, safe_cell(line.text), str(line.calls)] for line in checks.lines),
    ]


# CSV -------------------------------------------------------------------------------------------------------------

CSV_HEADER = [
    "month",
    "row",
    "provider",
    "calls_offered",
    "calls_answered",
    "answer_rate",
    "median_seconds_to_answer",
    "p90_seconds_to_answer",
    "callbacks_assigned",
    "callbacks_returned_on_time",
    "callbacks_returned_late",
    "callbacks_still_open",
    "callbacks_not_returned",
    "share_of_connected_calls",
    "too_few_calls_to_compare",
]


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a quote before it."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _number(value: float | None, places: int) -> str:
    """At most ``places`` decimals, no trailing zeros (0.5, 0.8333, 12); blank for None."""
    if value is None:
        return ""
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def csv_rows(published: PublishedMonth) -> list[list[str]]:
    """The table as CSV rows (header first), the same in every language; rates are shares from 0 to 1, blank when
    withheld by the small-count rule or when there is nothing to divide."""
    rows = [list(CSV_HEADER)]
    for kind, row in [("provider", each) for each in published.rows] + [("total", published.totals)]:
        figures, withheld = row.figures, row.too_few_calls
        rows.append(
            [
                month_text(published.month),
                kind,
                safe_cell(row.name),
                str(figures.offered),
                str(figures.answered),
                "" if withheld else _number(figures.answer_rate, 4),
                "" if withheld else _number(figures.median_answer_s, 1),
                "" if withheld else _number(figures.p90_answer_s, 1),
                str(figures.callbacks_assigned),
                str(figures.callbacks_on_time),
                str(figures.callbacks_late),
                str(figures.callbacks_open),
                str(figures.callbacks_not_returned),
                "" if withheld else _number(row.connected_share, 4),
                "yes" if withheld else "no",
            ]
        )
    return rows
