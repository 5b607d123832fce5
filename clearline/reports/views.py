"""The public transparency page (DESIGN.md rule 9): thin views over ``reports.transparency``."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from clearline.lib.pagecache import mark_cacheable
from clearline.reports import charts, routing_log, transparency
from clearline.reports.fee_statement import fee_terms
from clearline.reports.month_calls import csv_rows as calls_csv_rows
from clearline.reports.month_calls import month_calls
from clearline.reports.transparency import MonthNotPublished


@require_safe
def transparency_page(request: HttpRequest) -> HttpResponse:
    """The latest finished month; the month picker's GET form lands here and is sent to the month's own URL."""
    if "month" in request.GET:
        try:
            month = transparency.parse_month(request.GET["month"])
        except ValueError:
            return _not_found(request, None, request.GET["month"])
        return redirect("reports:transparency_month", month=transparency.month_text(month))
    return _month_page(request, transparency.latest_month())


@require_safe
def transparency_month(request: HttpRequest, month: str) -> HttpResponse:
    try:
        first_day = transparency.parse_month(month)
    except ValueError:
        return _not_found(request, None, month)
    return _month_page(request, first_day)


def _month_csv(
    request: HttpRequest, month: str, name: str, rows_of: Callable[[dt.date], Iterable[Sequence[object]]]
) -> HttpResponse:
    """A published month's CSV download, ``clearline-NAME-YYYY-MM.csv``; the month page's 404 for any other."""
    try:
        first_day = transparency.parse_month(month)
        transparency.check_published(first_day)
    except ValueError:
        return _not_found(request, None, month)
    except MonthNotPublished as missing:
        return _not_found(request, missing, month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"clearline-{name}-{transparency.month_text(first_day)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response, lineterminator="\r\n").writerows(rows_of(first_day))
    return response


@require_safe
def transparency_csv(request: HttpRequest, month: str) -> HttpResponse:
    """The month's per-provider figures, as the page shows them."""
    return _month_csv(
        request,
        month,
        "figures",
        lambda day: transparency.csv_rows(transparency.published_month(day.year, day.month)),
    )


@require_safe
def transparency_claims_csv(request: HttpRequest, month: str) -> HttpResponse:
    """The month's claim checks (how many calls were checked against what callers were told, how many
    contradicted it, and which claims), for the same months as the page."""
    return _month_csv(request, month, "claim-checks", transparency.claims_csv_rows)


@require_safe
def transparency_calls_csv(request: HttpRequest, month: str) -> HttpResponse:
    """The month's general helpline calls that ended, hang-ups, and where the calls that reached no provider went,
    for the same months as the page."""
    return _month_csv(request, month, "calls", lambda day: calls_csv_rows(month_calls(day)))


def _month_page(request: HttpRequest, first_day: dt.date) -> HttpResponse:
    try:
        published = transparency.published_month(first_day.year, first_day.month)
    except MonthNotPublished as missing:
        return _not_found(request, missing, transparency.month_text(first_day))
    in_progress = transparency.month_after(published.latest_month)
    calls = month_calls(published.month)
    response = render(
        request,
        "reports/transparency.html",
        {
            "published": published,
            "checks": transparency.published_claim_checks(published.month),
            "routing_log": routing_log.published_digest(published.month),
            "trace_retention_days": settings.CLEARLINE_TRACE_RETENTION_DAYS,
            "in_progress": in_progress,
            "appears_on": transparency.month_after(in_progress),
            "min_offered": transparency.MIN_OFFERED_FOR_RATES,
            "calls": calls,
            "no_provider_chart": charts.svg_bars([(line.label, line.calls) for line in calls.lines]),
            "fees": fee_terms(published.month),
            "zone": settings.TIME_ZONE,
        },
    )
    # Cached only once nothing on it can change but through a job that bumps the page generation (daily.py).
    return mark_cacheable(response) if published.final else response


def _not_found(request: HttpRequest, missing: MonthNotPublished | None, asked: str) -> HttpResponse:
    return render(
        request,
        "reports/transparency_not_found.html",
        {"missing": missing, "asked": asked[:20], "latest": transparency.latest_month()},
        status=404,
    )
