"""Which providers may be offered this call, filter by filter.

Every filter is evaluated for every provider (no short cut), so the trace shows all the reasons a provider was
left out, not only the first one. Dates (licence expiry, the daily-cap counter) are read in the provider's own
time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from clearline.routing.schedule import is_open_local, next_opening, zone
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
    if local is None:
        local = now.astimezone(zone(provider.schedule.timezone))
    today = local.date()
    expires = provider.license_expires
    certified = provider.certification_expires
    cap = provider.daily_cap
    schedule = provider.schedule
    contract = provider.contract_active
    licensed = expires is not None and expires >= today
    certified_ok = certified is not None and certified >= today
    open_now = (schedule.always_open and not schedule.holidays and not schedule.exceptions) or is_open_local(
        schedule, local
    )
    not_paused = not provider.paused
    not_auto_paused = not provider.auto_paused and (
        len(provider.unanswered_offers) < policy.auto_pause_after or not auto_pause_due(provider, policy, now)
    )
    free_slot = provider.active_calls < provider.lines
    delivered = provider.delivered_today if provider.delivered_on == today else 0
    under_cap = cap is None or delivered + provider.ringing < cap
    serves = (not provider.states and not provider.zip_prefixes) or _serves(provider, call)
    speaks = call.language in provider.languages
    offers = call.intent is None or call.intent in provider.intents
    callback_ok = (
        contract and licensed and certified_ok and not_paused and not_auto_paused and under_cap and serves
    ) and (speaks and offers)
    # tuple.__new__ skips the named tuple's Python-level constructor: this runs for every provider on every call.
    return _new_verdict(
        Verdict,
        (
            provider.id,
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


def _serves(provider: ProviderSnapshot, call: CallContext) -> bool:
    if not provider.states and not provider.zip_prefixes:
        return True
    if call.caller_state is None and call.caller_zip is None:
        return True  # location unknown: do not exclude anyone on a guess
    if call.caller_state is not None and call.caller_state in provider.states:
        return True
    return call.caller_zip is not None and any(call.caller_zip.startswith(p) for p in provider.zip_prefixes)


def evaluate_all(
    providers: Sequence[ProviderSnapshot], call: CallContext, policy: RoutingPolicy, now: datetime
) -> tuple[Verdict, ...]:
    """``evaluate`` for each provider, converting ``now`` once per time zone rather than once per provider."""
    locals_by_zone: dict[str, datetime] = {}
    out = []
    for p in providers:
        tz = p.schedule.timezone
        local = locals_by_zone.get(tz)
        if local is None:
            local = locals_by_zone[tz] = now.astimezone(zone(tz))
        out.append(evaluate(p, call, policy, now, local))
    return tuple(out)


def can_return_by(provider: ProviderSnapshot, now: datetime, deadline: datetime) -> datetime | None:
    """When the provider could start returning a callback (now, or its next opening) if before ``deadline``."""
    start = next_opening(provider.schedule, now, horizon=deadline - now)
    return start if start is not None and start < deadline else None
