"""Which providers may be offered this call, filter by filter.

Every filter is evaluated for every provider (no short cut), so the trace shows all the reasons a provider was
left out, not only the first one. Dates (licence expiry, the daily-cap counter) are read in the provider's own
time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from clearline.routing.schedule import is_open_local, next_opening, weekly_open, zone
from clearline.routing.types import CallContext, ProviderSnapshot, RoutingPolicy

FILTERS: tuple[str, ...] = (
    "contract_active",
    "license_current",
    "certification_current",
    "open_now",
    "not_paused",
    "not_auto_paused",
    "free_slot",
    "under_daily_cap",
    "serves_area",
    "speaks_language",
    "offers_intent",
)
# Filters a callback assignee must pass: it need not be open or have a free line right now.
CALLBACK_FILTERS: tuple[str, ...] = tuple(f for f in FILTERS if f not in ("open_now", "free_slot"))


class Verdict(NamedTuple):
    """One provider's filter results for one call (a named tuple: cheap to build for hundreds of providers)."""

    provider_id: str
    results: tuple[bool, ...]  # aligned with FILTERS
    eligible: bool  # every filter passed
    callback_eligible: bool  # every filter in CALLBACK_FILTERS passed

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(name for name, ok in zip(FILTERS, self.results, strict=True) if not ok)


_new_verdict = tuple.__new__


def auto_pause_due(provider: ProviderSnapshot, policy: RoutingPolicy, now: datetime) -> bool:
    """True when the provider left ``auto_pause_after`` offers unanswered within the window.

    Services call this after recording an unanswered offer and, when it is true, persist ``auto_paused`` until
    staff or the provider resume (which also clears ``unanswered_offers``).
    """
    if len(provider.unanswered_offers) < policy.auto_pause_after:
        return False
    since = now - timedelta(minutes=policy.auto_pause_window_min)
    return sum(1 for t in provider.unanswered_offers if t > since) >= policy.auto_pause_after


def evaluate(
    provider: ProviderSnapshot,
    call: CallContext,
    policy: RoutingPolicy,
    now: datetime,
    local: datetime | None = None,
) -> Verdict:
    """Every filter for one provider. ``local`` is ``now`` in the provider's zone, if the caller has it."""
    zones: dict[str, datetime | None] | None = {provider.schedule.timezone: local} if local else None
    return evaluate_all((provider,), call, policy, now, zones)[0]


def _serves(provider: ProviderSnapshot, call: CallContext) -> bool:
    if not provider.states and not provider.zip_prefixes:
        return True
    if call.caller_state is None and call.caller_zip is None:
        return True  # location unknown: do not exclude anyone on a guess
    if call.caller_state is not None and call.caller_state in provider.states:
        return True
    return call.caller_zip is not None and any(call.caller_zip.startswith(p) for p in provider.zip_prefixes)


def evaluate_all(
    providers: Sequence[ProviderSnapshot],
    call: CallContext,
    policy: RoutingPolicy,
    now: datetime,
    zones: dict[str, datetime | None] | None = None,
) -> tuple[Verdict, ...]:
    """Every filter for each provider. ``now`` is converted once per time zone (``zones`` may hold conversions
    already made), and the filters are written out in this one loop rather than called per provider: it runs for
    every provider on every call (bench/routing.py)."""
    by_zone: dict[str, tuple[datetime, date, time, int]] = {}
    for name, moment in (zones or {}).items():
        if moment is not None:
            by_zone[name] = (moment, moment.date(), moment.time(), moment.weekday())
    pause_after = policy.auto_pause_after
    language, intent = call.language, call.intent
    new, verdict, open_local, open_weekly = _new_verdict, Verdict, is_open_local, weekly_open  # local: faster
    out: list[Verdict] = []
    append = out.append
    for p in providers:
        schedule = p.schedule
        tz = schedule.timezone
        at = by_zone.get(tz)
        if at is None:
            local = now.astimezone(zone(tz))
            at = by_zone[tz] = (local, local.date(), local.time(), local.weekday())
        local, today, clock, weekday = at
        expires = p.license_expires
        certified = p.certification_expires
        cap = p.daily_cap
        contract = p.contract_active
        licensed = expires is not None and expires >= today
        certified_ok = certified is not None and certified >= today
        if schedule.holidays or schedule.exceptions:
            open_now = open_local(schedule, local)
        else:
            open_now = schedule.always_open or open_weekly(schedule.weekly, clock, weekday)
        not_paused = not p.paused
        not_auto_paused = not p.auto_paused and (
            not p.unanswered_offers  # the usual case; ``auto_pause_after`` is at least 1
            or len(p.unanswered_offers) < pause_after
            or not auto_pause_due(p, policy, now)
        )
        free_slot = p.active_calls < p.lines
        under_cap = cap is None or (p.delivered_today if p.delivered_on == today else 0) + p.ringing < cap
        serves = (not p.states and not p.zip_prefixes) or _serves(p, call)
        speaks = language in p.languages
        offers = intent is None or intent in p.intents
        callback_ok = (
            contract and licensed and certified_ok and not_paused and not_auto_paused and under_cap and serves
        ) and (speaks and offers)
        # tuple.__new__ skips the named tuple's Python-level constructor.
        append(
            new(
                verdict,
                (
                    p.id,
                    (
                        contract,
                        licensed,
                        certified_ok,
                        open_now,
                        not_paused,
                        not_auto_paused,
                        free_slot,
                        under_cap,
                        serves,
                        speaks,
                        offers,
                    ),
                    callback_ok and open_now and free_slot,
                    callback_ok,
                ),
            )
        )
    return tuple(out)


def can_return_by(provider: ProviderSnapshot, now: datetime, deadline: datetime) -> datetime | None:
    """When the provider could start returning a callback (now, or its next opening) if before ``deadline``."""
    start = next_opening(provider.schedule, now, horizon=deadline - now)
    return start if start is not None and start < deadline else None
