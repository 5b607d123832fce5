"""Opening hours in a provider's own IANA time zone.

A schedule is a weekly pattern of time ranges (Monday = 0), plus holiday closures and one-off exceptions. A range
whose end is at or before its start runs past midnight into the next day ("22:00"-"06:00"). A range belongs to the
day it starts on: a holiday closes the ranges that start on that date, and an exception replaces the ranges that
start on its date. Wall-clock times are compared in the provider's zone, so the spring-forward and fall-back days
need no special case: on the short day an 08:00-17:00 range is simply 8 real hours long, on the long day 10.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class TimeRange:
    """Open from ``start`` to ``end`` local time; ``end <= start`` means it ends on the next day."""

    start: time
    end: time

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def contains_same_day(self, t: time) -> bool:
        if self.overnight:
            return t >= self.start
        return self.start <= t < self.end

    def contains_next_day(self, t: time) -> bool:
        return self.overnight and t < self.end


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a provider takes calls. ``always_open`` short-cuts everything except holidays and exceptions."""

    timezone: str
    weekly: tuple[tuple[TimeRange, ...], ...] = ((),) * 7
    always_open: bool = False
    holidays: frozenset[date] = frozenset()
    exceptions: Mapping[date, tuple[TimeRange, ...]] | None = None

    def ranges_on(self, day: date) -> tuple[TimeRange, ...]:
        """The ranges that start on ``day`` (local date), after holidays and exceptions."""
        if self.exceptions and day in self.exceptions:
            return self.exceptions[day]
        if day in self.holidays:
            return ()
        if self.always_open:
            return (TimeRange(time(0, 0), time(0, 0)),)
        return self.weekly[day.weekday()]


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(schedule_or_tz: Schedule | str, now: datetime) -> datetime:
    tz = schedule_or_tz if isinstance(schedule_or_tz, str) else schedule_or_tz.timezone
    return now.astimezone(zone(tz))


def is_open(schedule: Schedule, now: datetime) -> bool:
    """Whether the provider is open at the aware instant ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return is_open_local(schedule, now.astimezone(zone(schedule.timezone)))


def is_open_local(schedule: Schedule, local: datetime) -> bool:
    """``is_open`` for an instant already converted to the schedule's zone."""
    t = local.time()  # naive wall-clock time
    if not schedule.holidays and not schedule.exceptions:
        return schedule.always_open or weekly_open(schedule.weekly, t, local.weekday())
    today = local.date()
    if any(r.contains_same_day(t) for r in schedule.ranges_on(today)):
        return True
    yesterday = today - timedelta(days=1)
    return any(r.contains_next_day(t) for r in schedule.ranges_on(yesterday))


def weekly_open(weekly: tuple[tuple[TimeRange, ...], ...], t: time, weekday: int) -> bool:
    """Whether the weekly hours are open at wall-clock time ``t`` on ``weekday`` (Monday = 0): a range of that day
    contains it, or an overnight range of the day before runs into it. (``TimeRange.contains_same_day`` and
    ``contains_next_day``, written out: this runs for every provider on every call.)"""
    for r in weekly[weekday]:
        start, end = r.start, r.end
        if (t >= start) if end <= start else (start <= t < end):
            return True
    for r in weekly[weekday - 1]:  # noqa: SIM110 (a loop: no generator per call). [-1] is Sunday
        if r.end <= r.start and t < r.end:
            return True
    return False


_MIDNIGHT = time(0, 0)
_ONE_DAY = timedelta(days=1)


def next_opening(
    schedule: Schedule, now: datetime, horizon: timedelta = timedelta(days=8)
) -> datetime | None:
    """``now`` if open, else the earliest instant within ``horizon`` at which the provider opens, else None.

    A wall time skipped by spring-forward resolves with the pre-transition offset (fold=0), i.e. just after the
    gap, which is when a person would actually open. ``now`` is converted to the provider's zone once: a call at
    night runs this for every closed provider that could take a callback."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = zone(schedule.timezone)
    local = now.astimezone(tz)
    if is_open_local(schedule, local):
        return now
    best: datetime | None = None
    day = local.date()
    end = now + horizon
    while True:
        for r in schedule.ranges_on(day):
            start = datetime.combine(day, r.start, tzinfo=tz)
            if now < start <= end and (best is None or start < best):
                best = start
        if best is not None or datetime.combine(day, _MIDNIGHT, tzinfo=tz) > end:
            return best
        day += _ONE_DAY


def parse_hhmm(text: str) -> time:
    """ "HH:MM" (seconds, if given, are ignored); "24:00" means midnight at the end of the day."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"expected HH:MM, got {text!r}")
    h, m = int(parts[0]), int(parts[1])
    if h == 24 and m == 0:
        return time(0, 0)
    return time(h, m)


def weekly_from_lists(hours: Mapping[str, Sequence[Sequence[str]]]) -> tuple[tuple[TimeRange, ...], ...]:
    """``{"mon": [["08:00", "17:00"]], "fri": [["22:00", "06:00"]]}`` -> the ``weekly`` tuple."""
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise ValueError(f"unknown weekday keys: {sorted(unknown)}")
    return tuple(_ranges(hours.get(day, ())) for day in WEEKDAYS)


def _ranges(pairs: Iterable[Sequence[str]]) -> tuple[TimeRange, ...]:
    out = []
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"a range is [start, end], got {pair!r}")
        out.append(TimeRange(parse_hhmm(pair[0]), parse_hhmm(pair[1])))
    return tuple(out)
