"""The transparency page's rules as pure functions: months, the small-count rule, CSV cells (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.reports import aggregates
from clearline.reports.aggregates import DayCounts
from clearline.reports.transparency import (
    MIN_OFFERED_FOR_RATES,
    PublishedMonth,
    PublishedRow,
    csv_rows,
    month_after,
    month_text,
    months_between,
    parse_month,
    safe_cell,
)


@pytest.mark.parametrize("text", ["2026-10", "0001-01", "9999-12"])
def test_it_reads_iso_months(text):
    assert month_text(parse_month(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-00",
        "0000-01",
        "26-10",
        "2026-1",
        "2026-10-01",
        "2026/10",
        " 2026-10",
        "２０２６-10",
        "",
    ],
)
def test_it_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_months_run_newest_first_across_a_year():
    assert months_between(dt.date(2025, 11, 1), dt.date(2026, 2, 1)) == [
        dt.date(2026, 2, 1),
        dt.date(2026, 1, 1),
        dt.date(2025, 12, 1),
        dt.date(2025, 11, 1),
    ]
    assert month_after(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert month_after(dt.date(2028, 2, 1)) == dt.date(2028, 3, 1)


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+Plus", "'+Plus"),
        ("-Minus", "'-Minus"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Alder Recovery", "Alder Recovery"),
        ("Año = Care", "Año = Care"),
    ],
)
def test_a_cell_never_starts_a_formula(name, cell):
    assert safe_cell(name) == cell


def row(name: str, offered: int, answered: int, seconds: list[int]) -> PublishedRow:
    counts = DayCounts(
        offered=offered, answered=answered, answer_seconds=seconds, helpline_connected=answered
    )
    return PublishedRow(
        provider_id=1, name=name, figures=aggregates.period_figures(counts), connected_share=answered / 10
    )


def test_rates_are_withheld_below_the_small_count_threshold():
    assert MIN_OFFERED_FOR_RATES == 5
    few, enough = row("Few", 4, 4, [1, 2, 3, 4]), row("Enough", 5, 4, [1, 2, 3, 5])
    assert few.too_few_calls and not enough.too_few_calls
    month = PublishedMonth(
        month=dt.date(2026, 10, 1),
        rows=(enough, few),
        totals=row("", 9, 8, [1, 1, 2, 2, 3, 3, 4, 5]),
        final=True,
        first_month=dt.date(2026, 10, 1),
        latest_month=dt.date(2026, 10, 1),
    )
    header, *body = csv_rows(month)
    assert header[:3] == ["month", "row", "provider"] and len(header) == 15
    assert body == [
        ["2026-10", "provider", "Enough", "5", "4", "0.8", "2.5", "5", "0", "0", "0", "0", "0", "0.4", "no"],
        ["2026-10", "provider", "Few", "4", "4", "", "", "", "0", "0", "0", "0", "0", "", "yes"],
        ["2026-10", "total", "", "9", "8", "0.8889", "2.5", "5", "0", "0", "0", "0", "0", "0.8", "no"],
    ]
