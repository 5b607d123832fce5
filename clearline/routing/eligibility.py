"""Which providers may be offered this call, filter by filter.

Every filter is evaluated for every provider (no short cut), so the trace shows all the reasons a provider was
left out, not only the first one. Dates (licence expiry, the daily-cap counter) are read in the provider's own
time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from clearline.routing.schedule import is_open, next_opening, zone
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
_CALLBACK_INDEXES = tuple(FILTERS.index(f) for f in CALLBACK_FILTERS)


@dataclass(frozen=True, slots=True)
class Verdict:
    provider_id: str
    results: tuple[bool, ...]  # aligned with FILTERS

    @property
    def eligible(self) -> bool:
        return all(self.results)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(name for name, ok in zip(FILTERS, self.results, strict=True) if not ok)

    @property
    def callback_eligible(self) -> bool:
        return all(self.results[i] for i in _CALLBACK_INDEXES)


def auto_pause_due(provider: ProviderSnapshot, policy: RoutingPolicy, now: datetime) -> bool:
    """True when the provider left ``auto_pause_after`` offers unanswered within the window.

    Services call this after recording an unanswered offer and, when it is true, persist ``auto_paused`` until
    staff or the provider resume (which also clears ``unanswered_offers``).
    """
    since = now - timedelta(minutes=policy.auto_pause_window_min)
    return sum(1 for t in provider.unanswered_offers if t > since) >= policy.auto_pause_after


def evaluate(provider: ProviderSnapshot, call: CallContext, policy: RoutingPolicy, now: datetime) -> Verdict:
    local = now.astimezone(zone(provider.schedule.timezone))
    today = local.date()
    cap = provider.daily_cap
    delivered = provider.delivered_today if provider.delivered_on == today else 0
    results = (
        provider.contract_active,
        provider.license_expires is not None and provider.license_expires >= today,
        provider.certification_expires is not None and provider.certification_expires >= today,
        is_open(provider.schedule, now),
        not provider.paused,
        not provider.auto_paused and not auto_pause_due(provider, policy, now),
        provider.active_calls < provider.lines,
        cap is None or delivered + provider.ringing < cap,
        _serves(provider, call),
        call.language in provider.languages,
        call.intent is None or call.intent in provider.intents,
    )
    return Verdict(provider.id, results)


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
    return tuple(evaluate(p, call, policy, now) for p in providers)


def can_return_by(provider: ProviderSnapshot, now: datetime, deadline: datetime) -> datetime | None:
    """When the provider could start returning a callback (now, or its next opening) if before ``deadline``."""
    start = next_opening(provider.schedule, now, horizon=deadline - now)
    return start if start is not None and start < deadline else None
