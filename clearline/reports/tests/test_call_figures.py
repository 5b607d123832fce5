"""Every call figure on a hand-made set of calls (pure functions, no database).

The set spans 1 November 2026, when New York's clocks fall back (01:00-01:59 happens twice: the day has 25 hours),
and 2 November; a call one second before local midnight and one at midnight; a listing call; calls that reached no
provider for each reason; a call still in progress; and callbacks, one of them reassigned.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from clearline.reports import call_figures as cf
from clearline.reports.call_figures import CallbackRow, CallRow, Ring

NY = zoneinfo.ZoneInfo("America/New_York")
UTC = dt.UTC
P1, P2 = 1, 2


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def s(moment: dt.datetime, seconds: float) -> dt.datetime:
    return moment + dt.timedelta(seconds=seconds)


def helpline(call_id: int, start: dt.datetime, outcome: str, **fields: object) -> CallRow:
    return CallRow(call_id, "helpline", outcome, start, **fields)  # type: ignore[arg-type]


C1 = utc(2026, 11, 1, 5, 30)  # 01:30 EDT, the first 01:30
C2 = utc(2026, 11, 1, 6, 30)  # 01:30 EST, the second 01:30
C3 = utc(2026, 11, 2, 4, 59, 59)  # 23:59:59 on 1 November
C4 = utc(2026, 11, 2, 5, 0, 0)  # midnight: 2 November
NOV2 = utc(2026, 11, 2, 5)  # 00:00 EST on 2 November; + hours below


def nov2(hour: int) -> dt.datetime:
    return NOV2 + dt.timedelta(hours=hour)


CALLS = [
    # answered by P1 10 s into the call, 15 s after routing began: inside the service level
    helpline(
        1, C1, "connected", routing_started_at=s(C1, 10), answered_at=s(C1, 25), connected_provider_id=P1,
        rings=(Ring(P1, s(C1, 10), s(C1, 25)),),
    ),
    # P2 did not answer; P1 answered after ringing 20 s: the caller waited 40 s (outside), P1's clock 20 s (inside)
    helpline(
        2, C2, "connected", routing_started_at=s(C2, 10), answered_at=s(C2, 50), connected_provider_id=P1,
        rings=(Ring(P2, s(C2, 10)), Ring(P1, s(C2, 30), s(C2, 50))),
    ),
    helpline(3, C3, "abandoned", routing_started_at=s(C3, 5), rings=(Ring(P2, s(C3, 5)),)),
    helpline(4, C4, "transferred_crisis", keys=("9",)),
    helpline(5, nov2(12), "transferred_free", keys=("0",)),
    helpline(6, nov2(13), "transferred_free", nobody_eligible=True),
    helpline(7, nov2(14), "transferred_free", rings=(Ring(P1, nov2(14)), Ring(P2, nov2(14)))),
    helpline(8, nov2(15), "callback", rings=(Ring(P2, nov2(15)),)),
    helpline(9, nov2(16), "fallback"),
    CallRow(10, "listing", "listing_connected", nov2(10), answered_at=s(nov2(10), 4)),
    helpline(11, nov2(17), "pending", rings=(Ring(P1, nov2(17)),)),
    helpline(
        12, nov2(9), "connected", routing_started_at=s(nov2(9), 5), answered_at=s(nov2(9), 8),
        connected_provider_id=P2, rings=(Ring(P2, s(nov2(9), 5), s(nov2(9), 8)),),
    ),
]  # fmt: skip

CB = nov2(15)
CALLBACKS = [
    CallbackRow(P2, "returned", CB, s(CB, 900), s(CB, 600)),  # on time
    CallbackRow(P1, "returned", CB, s(CB, 900), s(CB, 1200), reassignments=1),  # late, reassigned from P2
    CallbackRow(P1, "expired", CB, s(CB, 900)),  # not returned
    CallbackRow(P2, "open", CB, s(CB, 900)),
]


def test_summary_for_every_provider():
    figures = cf.summary(CALLS, CALLBACKS)
    assert figures.calls == 10  # ended helpline calls: not the listing call, not the one in progress
    assert figures.in_progress == 1
    assert figures.answered == 3 and figures.answer_rate == pytest.approx(0.3)
    assert sorted(figures.waits) == [3, 15, 40]
    assert figures.answered_in_level == 2 and figures.service_level == pytest.approx(0.2)
    assert figures.average_wait == pytest.approx(58 / 3)
    assert figures.p90_wait == 40.0  # nearest rank: ceil(0.9 * 3) = 3rd value
    assert figures.abandoned == 1 and figures.abandonment == pytest.approx(0.1)
    assert (figures.callbacks, figures.callbacks_on_time, figures.callbacks_late) == (4, 1, 1)
    assert (figures.callbacks_not_returned, figures.callbacks_open, figures.callbacks_reassigned) == (1, 1, 1)
    assert figures.callbacks_on_time_rate == pytest.approx(1 / 3)
    assert not figures.too_few_calls and figures.too_few_callbacks


def test_summary_for_one_provider_counts_its_own_ringing():
    p1 = cf.summary(CALLS, CALLBACKS, P1)
    assert (p1.calls, p1.answered, p1.in_progress) == (3, 2, 1)  # calls 1, 2, 7 (and 11, in progress)
    assert sorted(p1.waits) == [15, 20]  # call 2 from P1's own ring, not the caller's 40 s
    assert p1.service_level == pytest.approx(2 / 3) and p1.abandoned == 0
    assert (p1.callbacks, p1.callbacks_late, p1.callbacks_not_returned, p1.callbacks_reassigned) == (
        2,
        1,
        1,
        1,
    )
    assert p1.callbacks_on_time_rate == 0.0
    assert p1.too_few_calls  # 3 < 5: rates withheld where providers or the public see them
    p2 = cf.summary(CALLS, CALLBACKS, P2)
    assert (p2.calls, p2.answered, p2.waits, p2.abandoned) == (5, 1, (3,), 1)
    assert p2.answer_rate == pytest.approx(0.2) and not p2.too_few_calls


def test_calls_that_reached_no_provider_by_where_they_went():
    result = cf.no_provider(CALLS)
    assert result.counts == {
        "crisis_line": 1,
        "free_line_chosen": 1,
        "hung_up": 1,
        "callback": 1,
        "nobody_eligible": 1,
        "no_callback": 1,
        "fallback": 1,
    }
    assert result.total == 7 and result.nobody_eligible == 1
    assert result.total + cf.summary(CALLS, []).answered == cf.summary(CALLS, []).calls
    assert cf.no_provider(CALLS, P1).counts["no_callback"] == 1
    assert cf.no_provider(CALLS, P1).total == 1


def test_listing_calls_stay_out_of_helpline_figures_and_shares():
    listing_only = [c for c in CALLS if c.number_kind == "listing"]
    assert cf.summary(listing_only, []).calls == 0
    assert cf.shares(listing_only) == []
    assert cf.no_provider(listing_only).total == 0


def test_shares_against_the_equal_share():
    shares = {row.provider_id: row for row in cf.shares(CALLS)}
    assert (shares[P1].offered, shares[P1].answered) == (3, 2)
    assert (shares[P2].offered, shares[P2].answered) == (5, 1)
    assert shares[P1].share == pytest.approx(2 / 3) and shares[P1].equal_share == 0.5
    assert shares[P2].difference == pytest.approx(1 / 3 - 0.5)


def test_by_hour_counts_both_one_thirties_of_the_fall_back_day():
    hours = {v.label: v for v in cf.by_hour(CALLS, NY)}
    assert len(hours) == 24
    assert (hours["01:00"].helpline, hours["01:00"].answered) == (2, 2)
    assert hours["23:00"].helpline == 1 and hours["00:00"].helpline == 1  # either side of midnight
    assert hours["10:00"].listing == 1 and hours["10:00"].helpline == 0
    assert hours["17:00"].helpline == 1  # started, still in progress
    assert sum(v.helpline for v in hours.values()) == 11
    assert {v.label: v.helpline for v in cf.by_hour(CALLS, NY, P1)}["01:00"] == 2


def test_by_day_puts_midnight_on_the_right_side():
    days = cf.by_day(CALLS, NY, dt.date(2026, 11, 1), dt.date(2026, 11, 3))
    assert [(v.label, v.helpline, v.answered, v.listing) for v in days] == [
        ("2026-11-01", 3, 2, 0),
        ("2026-11-02", 8, 1, 1),
        ("2026-11-03", 0, 0, 0),
    ]
    p2 = cf.by_day(CALLS, NY, dt.date(2026, 11, 1), dt.date(2026, 11, 2), P2)
    assert [(v.helpline, v.answered, v.listing) for v in p2] == [(2, 0, 0), (3, 1, 0)]


def test_bounds_of_local_days_across_daylight_saving_changes():
    start, end = cf.bounds(dt.date(2026, 11, 1), dt.date(2026, 11, 1), NY)
    assert (start, end) == (utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))  # 25 hours
    start, end = cf.bounds(dt.date(2026, 3, 8), dt.date(2026, 3, 8), NY)
    assert (start, end) == (utc(2026, 3, 8, 5), utc(2026, 3, 9, 4))  # 23 hours
    spring = [
        helpline(1, utc(2026, 3, 8, 6, 59), "abandoned"),  # 01:59 EST
        helpline(2, utc(2026, 3, 8, 7, 0), "abandoned"),  # 03:00 EDT: 02:00 never happened
    ]
    hours = {v.label: v.helpline for v in cf.by_hour(spring, NY)}
    assert (hours["01:00"], hours["02:00"], hours["03:00"]) == (1, 0, 1)


def test_empty_period_divides_nothing():
    figures = cf.summary([], [])
    assert figures.answer_rate is None and figures.service_level is None and figures.abandonment is None
    assert (
        figures.average_wait is None and figures.p90_wait is None and figures.callbacks_on_time_rate is None
    )
    assert cf.no_provider([]).total == 0
