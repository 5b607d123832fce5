"""The figures' arithmetic (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.reports import aggregates
from clearline.reports.aggregates import AttemptRow, CallbackRow, DayCounts

T0 = dt.datetime(2026, 11, 3, 15, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_median_and_nearest_rank_percentile():
    assert aggregates.median([]) is None and aggregates.percentile([], 90) is None
    assert aggregates.median([7]) == 7.0 and aggregates.percentile([7], 90) == 7.0
    assert aggregates.median([4, 1, 3, 2]) == 2.5
    ten = list(range(1, 11))
    assert aggregates.percentile(ten, 90) == 9.0  # 9 of 10 values are at or below 9
    assert aggregates.percentile(list(range(1, 12)), 90) == 10.0  # ceil(9.9) = 10th value
    assert aggregates.percentile([30, 10, 20], 100) == 30.0
    with pytest.raises(ValueError):
        aggregates.percentile(ten, 0)


def test_ratio_is_none_without_a_denominator():
    assert aggregates.ratio(0, 0) is None
    assert aggregates.ratio(1, 4) == 0.25


def test_seconds_between_never_negative():
    assert aggregates.seconds_between(at(10), at(4)) == 0
    assert aggregates.seconds_between(at(0), at(12.9)) == 12


def test_day_counts_offered_answered_and_seconds():
    attempts = [
        # call 1: provider 1 rung in wave 0 (no answer), provider 2 accepts in wave 1 after 8 s
        AttemptRow(1, 1, "no-answer", at(0), None),
        AttemptRow(1, 2, "accepted", at(20), at(28)),
        # call 2: providers 1 and 2 rung at once, 1 accepts after 5 s; 2 is cancelled
        AttemptRow(2, 1, "accepted", at(100), at(105)),
        AttemptRow(2, 2, "canceled", at(100), None),
        # call 3: provider 1 rung twice (two waves): still one call offered
        AttemptRow(3, 1, "no-answer", at(200), None),
        AttemptRow(3, 1, "no-answer", at(240), None),
    ]
    per, total = aggregates.day_counts(attempts, [], {1: 1, 2: 1})
    assert (per[1].offered, per[1].answered, per[1].answer_seconds) == (3, 1, [5])
    assert (per[2].offered, per[2].answered, per[2].answer_seconds) == (2, 1, [8])
    assert total.offered == 3  # distinct calls, not 3 + 2
    assert total.answered == 2 and total.answer_seconds == [5, 8]
    assert total.helpline_connected == 2


def test_callback_states():
    due = at(3600)
    callbacks = [
        CallbackRow(1, "returned", due, at(3599)),
        CallbackRow(1, "returned", due, at(3600)),  # at the deadline: on time
        CallbackRow(1, "returned", due, at(3601)),
        CallbackRow(1, "open", due, None),
        CallbackRow(2, "expired", due, at(9000)),
    ]
    per, total = aggregates.day_counts([], callbacks, {})
    one = per[1]
    assert (one.callbacks_assigned, one.callbacks_on_time, one.callbacks_late, one.callbacks_open) == (
        4,
        2,
        1,
        1,
    )
    assert per[2].callbacks_not_returned == 1
    assert total.callbacks_assigned == 5 and total.offered == 0


def test_period_figures_from_summed_days():
    days = [
        DayCounts(offered=4, answered=3, answer_seconds=[3, 9, 5], callbacks_assigned=1, callbacks_on_time=1),
        DayCounts(offered=6, answered=3, answer_seconds=[12, 4, 30], callbacks_assigned=1, callbacks_late=1),
    ]
    figures = aggregates.period_figures(aggregates.sum_counts(days))
    assert figures.offered == 10 and figures.answered == 6 and figures.answer_rate == 0.6
    assert figures.median_answer_s == 7.0  # [3, 4, 5, 9, 12, 30]
    assert figures.p90_answer_s == 30.0
    assert figures.callbacks_on_time_rate == 0.5
    empty = aggregates.period_figures(DayCounts())
    assert (
        empty.answer_rate is None and empty.median_answer_s is None and empty.callbacks_on_time_rate is None
    )


def test_month_days():
    assert len(aggregates.month_days(2028, 2)) == 29
    december = aggregates.month_days(2026, 12)
    assert december[0] == dt.date(2026, 12, 1) and december[-1] == dt.date(2026, 12, 31)
    with pytest.raises(ValueError):
        aggregates.month_days(2026, 13)
