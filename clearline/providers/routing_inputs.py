"""A provider's routing inputs as the pure core's types: its schedule and a snapshot without live counters.

Telephony's roster adds the live counters (lines in use, offers, credit) for each call; the disclosure needs only
what decides who could answer a number (``routing.claims``), so both start here.
"""

from __future__ import annotations

import datetime as dt

from clearline.providers.models import Provider
from clearline.routing import Intent, ProviderSnapshot, Schedule, TimeRange


def build_schedule(provider: Provider) -> Schedule:
    """The provider's weekly hours, holidays and exceptions (prefetch ``opening_hours`` and ``closures``)."""
    weekly: list[list[TimeRange]] = [[] for _ in range(7)]
    for row in provider.opening_hours.all():
        weekly[row.weekday].append(TimeRange(row.opens, row.closes))
    holidays = set()
    exceptions: dict[dt.date, tuple[TimeRange, ...]] = {}
    for closure in provider.closures.all():
        if closure.opens is None or closure.closes is None:
            holidays.add(closure.date)
        else:
            exceptions[closure.date] = (TimeRange(closure.opens, closure.closes),)
    return Schedule(
        timezone=provider.timezone,
        weekly=tuple(tuple(day) for day in weekly),
        always_open=provider.open_24_7,
        holidays=frozenset(holidays),
        exceptions=exceptions or None,
    )


def intents_of(provider: Provider) -> frozenset[Intent]:
    return frozenset(Intent(i) for i in provider.intents) if provider.intents else frozenset(Intent)


def standing_snapshot(provider: Provider) -> ProviderSnapshot:
    """A participating provider's standing (hours, documents, pauses, area, languages, call types), with no live
    counters: what the claims about who can answer a number are built from."""
    return ProviderSnapshot(
        id=str(provider.pk),
        name=provider.name,
        schedule=build_schedule(provider),
        phone=provider.phone,
        license_expires=provider.license_expires_on,
        certification_expires=provider.certification_expires_on,
        paused=provider.paused,
        auto_paused=provider.auto_paused,
        lines=provider.lines,
        states=frozenset(provider.states or ()),
        zip_prefixes=frozenset(provider.zip_prefixes or ()),
        languages=frozenset(provider.languages or ("en",)),
        intents=intents_of(provider),
    )
