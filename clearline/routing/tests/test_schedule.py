from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clearline.routing.schedule import Schedule, TimeRange, is_open, next_opening, weekly_from_lists

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
WEEKDAYS = weekly_from_lists({d: [["08:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})


def test_it_is_open_within_weekday_hours_in_the_providers_own_zone():
    schedule = Schedule("America/Los_Angeles", weekly=WEEKDAYS)
    # 11:00 in New York is 08:00 in Los Angeles: just open. 10:59 New York is still closed there.
    assert is_open(schedule, datetime(2026, 3, 4, 11, 0, tzinfo=NY))
    assert not is_open(schedule, datetime(2026, 3, 4, 10, 59, tzinfo=NY))
    assert not is_open(schedule, datetime(2026, 3, 4, 17, 0, tzinfo=LA))


def test_it_is_closed_at_weekends_when_no_weekend_hours():
    schedule = Schedule("America/New_York", weekly=WEEKDAYS)
    assert not is_open(schedule, datetime(2026, 3, 7, 12, 0, tzinfo=NY))


def test_an_overnight_range_runs_past_midnight_into_the_next_day():
    schedule = Schedule("America/New_York", weekly=weekly_from_lists({"fri": [["22:00", "06:00"]]}))
    assert is_open(schedule, datetime(2026, 3, 6, 23, 0, tzinfo=NY))  # Friday night
    assert is_open(schedule, datetime(2026, 3, 7, 5, 59, tzinfo=NY))  # Saturday early morning
    assert not is_open(schedule, datetime(2026, 3, 7, 6, 0, tzinfo=NY))
    assert not is_open(schedule, datetime(2026, 3, 6, 5, 0, tzinfo=NY))  # Friday early morning: Thursday's


def test_a_holiday_closes_the_day_even_for_a_24_7_provider():
    schedule = Schedule("America/New_York", always_open=True, holidays=frozenset({date(2026, 12, 25)}))
    assert not is_open(schedule, datetime(2026, 12, 25, 12, 0, tzinfo=NY))
    assert is_open(schedule, datetime(2026, 12, 24, 23, 59, tzinfo=NY))
    assert is_open(schedule, datetime(2026, 12, 26, 0, 0, tzinfo=NY))


def test_a_one_off_exception_replaces_the_hours_of_its_date():
    schedule = Schedule(
        "America/New_York",
        weekly=WEEKDAYS,
        exceptions={date(2026, 3, 7): (TimeRange(time(10, 0), time(14, 0)),), date(2026, 3, 9): ()},
    )
    assert is_open(schedule, datetime(2026, 3, 7, 11, 0, tzinfo=NY))  # a Saturday opening
    assert not is_open(schedule, datetime(2026, 3, 9, 11, 0, tzinfo=NY))  # a Monday closure


def test_hours_follow_the_wall_clock_on_the_spring_forward_day():
    # 2026-03-08: clocks go from 02:00 to 03:00 in New York.
    schedule = Schedule("America/New_York", weekly=weekly_from_lists({"sun": [["01:00", "04:00"]]}))
    assert is_open(schedule, datetime(2026, 3, 8, 6, 30, tzinfo=UTC))  # 01:30 EST
    assert is_open(schedule, datetime(2026, 3, 8, 7, 30, tzinfo=UTC))  # 03:30 EDT
    assert not is_open(schedule, datetime(2026, 3, 8, 8, 0, tzinfo=UTC))  # 04:00 EDT
    # The range lasted two real hours, not three.
    opened = [datetime(2026, 3, 8, 5, 0, tzinfo=UTC) + timedelta(minutes=m) for m in range(0, 300)]
    assert sum(is_open(schedule, t) for t in opened) == 120


def test_hours_follow_the_wall_clock_on_the_fall_back_day():
    # 2026-11-01: clocks go from 02:00 back to 01:00 in New York, so 01:00-02:00 happens twice.
    schedule = Schedule("America/New_York", weekly=weekly_from_lists({"sun": [["00:00", "03:00"]]}))
    minutes = [datetime(2026, 11, 1, 3, 0, tzinfo=UTC) + timedelta(minutes=m) for m in range(0, 360)]
    assert sum(is_open(schedule, t) for t in minutes) == 4 * 60
    assert is_open(schedule, datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # the second 01:30 (EST)
    assert not is_open(schedule, datetime(2026, 11, 1, 8, 0, tzinfo=UTC))  # 03:00 EST


def test_next_opening_is_now_when_open_and_the_next_start_otherwise():
    schedule = Schedule("America/New_York", weekly=WEEKDAYS)
    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=NY)
    assert next_opening(schedule, friday_evening) == datetime(2026, 3, 9, 8, 0, tzinfo=NY)
    assert next_opening(schedule, friday_evening, horizon=timedelta(hours=12)) is None
    noon = datetime(2026, 3, 4, 12, 0, tzinfo=NY)
    assert next_opening(schedule, noon) == noon


def test_next_opening_after_a_spring_forward_gap_is_a_real_instant():
    schedule = Schedule("America/New_York", weekly=weekly_from_lists({"sun": [["02:30", "05:00"]]}))
    opening = next_opening(schedule, datetime(2026, 3, 8, 1, 0, tzinfo=NY))
    assert opening is not None
    assert opening.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT, just after the gap
    assert is_open(schedule, opening)
