"""The figures dashboards' content, shared by the operators' console and the provider portal.

``dashboard(period, names, withhold_small)`` reads the period's rows (``call_rows``), computes every figure with
``call_figures`` and returns one ``Chart`` per figure: a title, a table (the chart's data, the same cells the CSV
has) and a plain-data chart description for ``reports/figures_charts.js``. With ``withhold_small`` (the portal),
rates, times and shares over fewer than ``MIN_CALLS_FOR_RATES`` calls are withheld ("too few calls"), as on the
transparency page; counts are shown. No figure names a caller: the rows hold no number and no keyed hash.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from clearline.reports import call_figures as cf
from clearline.reports.call_rows import Period, call_rows, callback_rows
from clearline.reports.charts import chart_config
from clearline.reports.month_calls import REASON_LABELS
from clearline.reports.transparency import safe_cell


@dataclass(frozen=True)
class Chart:
    slug: str  # the CSV's ?csv= value and the element ids
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first cell of each row is its header
    config: dict[str, Any] | None = None  # None: a table without a chart
    notes: tuple[str, ...] = field(default=())

    def csv_rows(self) -> list[list[str]]:
        return [[_csv_cell(c) for c in self.columns], *([_csv_cell(c) for c in row] for row in self.rows)]


_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?%?")


def _csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text (``transparency.safe_cell``), except a plain number such as -16.7%,
    which cannot run anything and stays a number."""
    return text if _PLAIN_NUMBER.fullmatch(text) else safe_cell(text)


def _percent(share: float | None, withheld: bool = False) -> str:
    if withheld:
        return _("too few calls")
    return "—" if share is None else f"{share * 100:.1f}%"


def _seconds(value: float | None, withheld: bool = False) -> str:
    if withheld:
        return _("too few calls")
    return "—" if value is None else f"{value:.1f}"


def _number(share: float | None, withheld: bool) -> float | None:
    return None if withheld or share is None else round(share * 100, 1)


def _volume_chart(slug: str, title: str, first_column: str, volumes: Sequence[cf.Volume], kind: str) -> Chart:
    columns = (first_column, _("Helpline calls"), _("Answered by a provider"), _("Listing-number calls"))
    rows = tuple((v.label, str(v.helpline), str(v.answered), str(v.listing)) for v in volumes)
    config = chart_config(
        kind,
        [v.label for v in volumes],
        [(columns[1], [v.helpline for v in volumes]), (columns[2], [v.answered for v in volumes])]
        + ([(columns[3], [v.listing for v in volumes])] if any(v.listing for v in volumes) else []),
        title=title,
        y_label=_("Calls"),
    )
    return Chart(slug, title, columns, rows, config)


def headline_chart(summary: cf.Summary, withhold: bool) -> Chart:
    few = withhold and summary.too_few_calls
    few_callbacks = withhold and summary.too_few_callbacks
    title = _("Answer rate, service level, abandonment and callbacks on time")
    rates = [
        (_("Answer rate"), summary.answer_rate, few),
        (
            _("Service level (answered within %(s)s seconds)") % {"s": cf.SERVICE_LEVEL_SECONDS},
            summary.service_level,
            few,
        ),
        (_("Abandonment (hung up before reaching a person)"), summary.abandonment, few),
        (_("Callbacks returned on time"), summary.callbacks_on_time_rate, few_callbacks),
    ]
    rows = [
        (_("Helpline calls ended"), str(summary.calls)),
        (_("Answered by a provider"), str(summary.answered)),
        (_("Hung up before reaching a person"), str(summary.abandoned)),
        (_("Still in progress"), str(summary.in_progress)),
        *((label, _percent(share, withheld)) for label, share, withheld in rates),
        (_("Average seconds to answer"), _seconds(summary.average_wait, few)),
        (_("90th percentile seconds to answer"), _seconds(summary.p90_wait, few)),
    ]
    config = chart_config(
        "bar",
        [str(label) for label, _s, _w in rates],
        [(_("Percent"), [_number(share, withheld) for _l, share, withheld in rates])],
        title=title,
        y_label=_("Percent"),
        percent=True,
    )
    return Chart("headline", title, (_("Figure"), _("Value")), tuple(rows), config)


def callbacks_chart(summary: cf.Summary) -> Chart:
    title = _("Callbacks requested")
    rows = [
        (_("Returned on time"), summary.callbacks_on_time),
        (_("Returned late"), summary.callbacks_late),
        (_("Not returned"), summary.callbacks_not_returned),
        (_("Still open"), summary.callbacks_open),
    ]
    config = chart_config(
        "bar",
        [label for label, _n in rows],
        [(_("Callbacks"), [n for _l, n in rows])],
        title=title,
        y_label="",
    )
    table = (
        *((label, str(n)) for label, n in rows),
        (_("Reassigned to another provider"), str(summary.callbacks_reassigned)),
    )
    return Chart("callbacks", title, (_("Callbacks"), _("Requests")), table, config)


def shares_chart(shares: Sequence[cf.Share], names: dict[int, str], withhold: bool) -> Chart:
    title = _("Share of answered helpline calls against the equal share")
    shown = [s for s in shares if s.provider_id in names]
    rows = []
    for share in shown:
        few = withhold and share.offered < cf.MIN_CALLS_FOR_RATES
        rows.append(
            (
                names[share.provider_id],
                str(share.offered),
                str(share.answered),
                _percent(share.share, few),
                _percent(share.equal_share),
                _percent(share.difference, few) if share.difference is not None else "—",
            )
        )
    equal = next((s.equal_share for s in shares if s.equal_share is not None), None)
    config = chart_config(
        "bar",
        [names[s.provider_id] for s in shown],
        [
            (
                _("Share of answered calls"),
                [_number(s.share, withhold and s.offered < cf.MIN_CALLS_FOR_RATES) for s in shown],
            )
        ],
        title=title,
        y_label=_("Percent"),
        percent=True,
        reference=(_("Equal share"), round(equal * 100, 1)) if equal is not None else None,
    )
    columns = (
        _("Provider"),
        _("Calls offered"),
        _("Calls answered"),
        _("Share"),
        _("Equal share"),
        _("Difference"),
    )
    return Chart("shares", title, columns, tuple(rows), config if shown else None)


def no_provider_chart(result: cf.NoProvider) -> Chart:
    title = _("Calls that reached no provider, by where they went")
    lines = [(str(REASON_LABELS[reason]), result.counts.get(reason, 0)) for reason in cf.NO_PROVIDER_REASONS]
    config = chart_config(
        "bar", [label for label, _n in lines], [(_("Calls"), [n for _l, n in lines])], title=title, y_label=""
    )
    rows = (
        *((label, str(n)) for label, n in lines),
        (_("All calls that reached no provider"), str(result.total)),
        (_("Of them, calls no provider was eligible for"), str(result.nobody_eligible)),
    )
    return Chart("no-provider", title, (_("Where the call went"), _("Calls")), rows, config)


def dashboard(period: Period, names: dict[int, str], *, withhold_small: bool = False) -> list[Chart]:
    """Every chart for the period (of one provider, if ``period.provider_id``); ``names``: the providers whose
    share rows may be shown (the portal passes only its own)."""
    calls = call_rows(period)
    callbacks = callback_rows(period)
    provider = period.provider_id
    summary = cf.summary(calls, callbacks, provider)
    charts = [
        headline_chart(summary, withhold_small),
        _volume_chart(
            "by-hour", _("Calls by hour of day"), _("Hour"), cf.by_hour(calls, period.zone, provider), "bar"
        ),
        _volume_chart(
            "by-day",
            _("Calls by day"),
            _("Day"),
            cf.by_day(calls, period.zone, period.first, period.last, provider),
            "line",
        ),
        shares_chart(
            cf.shares(calls if provider is None else call_rows(replace(period, provider_id=None))),
            names,
            withhold_small,
        ),
        no_provider_chart(cf.no_provider(calls, provider)),
        callbacks_chart(summary),
    ]
    return charts


# CSV: one chart's table, with the same filters as the page ---------------------------------------------------------


def csv_response(chart: Chart, period: Period) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"clearline-{chart.slug}-{period.first:%Y-%m-%d}-{period.last:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    csv.writer(response, lineterminator="\r\n").writerows(chart.csv_rows())
    return response


def chart_csv(charts: list[Chart], slug: str, period: Period) -> HttpResponse:
    chart = next((c for c in charts if c.slug == slug), None)
    if chart is None:
        raise Http404
    return csv_response(chart, period)


def query_without_csv(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("csv", None)
    return query.urlencode()
