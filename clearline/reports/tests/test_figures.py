"""monthly_figures: a provider's month from the call records, in the operator's time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.reports.figures import monthly_figures
from clearline.reports.tests.conftest import make_call, make_callback

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def t(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_offered_answered_speed_and_share(providers):
    alder, birch, cedar = providers
    make_call(t(2, 15), [(alder, "accepted", 4)])
    make_call(t(3, 15), [(alder, "no-answer", None), (birch, "accepted", 9)])
    make_call(t(4, 15), [(alder, "accepted", 6), (birch, "canceled", None)])
    make_call(t(5, 15), [(birch, "accepted", 20)])
    make_call(t(6, 15), [(alder, "no-answer", None), (birch, "no-answer", None)])  # then a callback
    make_call(t(7, 15), [(cedar, "accepted", 30)])

    figures = monthly_figures(alder.pk, 2026, 11, now=NOW)
    mine = figures.provider
    assert (mine.offered, mine.answered) == (4, 2)
    assert mine.answer_rate == 0.5
    assert (mine.median_answer_s, mine.p90_answer_s) == (5.0, 6.0)
    assert mine.helpline_connected == 2
    totals = figures.totals
    assert totals.offered == 6  # distinct calls
    assert totals.answered == 5 and totals.helpline_connected == 5
    assert totals.median_answer_s == 9.0 and totals.p90_answer_s == 30.0  # [4, 6, 9, 20, 30]
    assert figures.connected_share == 0.4
    assert figures.through == dt.date(2026, 11, 20)
    assert figures.providers_with_calls == 3
    assert monthly_figures(cedar.pk, 2026, 11, now=NOW).connected_share == 0.2


def test_months_are_the_operators(providers, settings):
    settings.TIME_ZONE = "America/New_York"
    alder = providers[0]
    make_call(t(1, 3, month=11), [(alder, "accepted", 5)])  # 23:00 on 31 October in New York
    make_call(t(1, 5, month=11), [(alder, "accepted", 5)])  # 01:00 on 1 November
    make_call(t(1, 4, 59, month=12), [(alder, "accepted", 5)])  # 23:59 on 30 November (EST)
    november = monthly_figures(alder.pk, 2026, 11, now=t(5, 12, month=12))
    october = monthly_figures(alder.pk, 2026, 10, now=t(5, 12, month=12))
    assert november.provider.answered == 2 and october.provider.answered == 1
    assert november.through == dt.date(2026, 11, 30)


def test_listing_calls_are_not_counted(providers):
    alder = providers[0]
    make_call(t(2, 15), [(alder, "accepted", 5)], number_kind="listing")
    figures = monthly_figures(alder.pk, 2026, 11, now=NOW)
    assert figures.provider.offered == 0 and figures.totals.helpline_connected == 0
    assert figures.provider.answer_rate is None and figures.connected_share is None


def test_callbacks_on_time_late_and_open(providers):
    alder, birch, _cedar = providers
    for day, closed_after in ((2, 20), (3, 30), (4, 45), (5, None)):
        call = make_call(t(day, 15), [(alder, "no-answer", None)])
        make_callback(call, alder, created_at=t(day, 15, 2), due_in_min=30, closed_after_min=closed_after)
    call = make_call(t(6, 15), [(birch, "no-answer", None)])
    make_callback(call, birch, created_at=t(6, 15, 2), due_in_min=30, closed_after_min=5)

    mine = monthly_figures(alder.pk, 2026, 11, now=NOW).provider
    assert (mine.callbacks_assigned, mine.callbacks_on_time, mine.callbacks_late, mine.callbacks_open) == (
        4,
        2,
        1,
        1,
    )
    assert mine.callbacks_on_time_rate == pytest.approx(2 / 3)


def test_future_month_is_empty(providers):
    figures = monthly_figures(providers[0].pk, 2027, 1, now=NOW)
    assert figures.through is None and figures.provider.offered == 0 and figures.totals.offered == 0
