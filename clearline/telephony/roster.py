"""What the router reads on every call, in two parts, so a call costs one query instead of a dozen.

- The slowly-changing part (``roster_inputs``): the participating providers, the helpline numbers, the routing
  settings and the current disclosure version. It is kept in this process (``RoutingInputs``) and keyed on a
  *routing stamp* (``routing_stamp``): a row that every change to those rows sets to a fresh random value, in the
  same transaction as the change, and on the operator's local date.
- The part that changes with every call (``roster_counts``), read fresh in **one** statement together with the
  stamp: lines in use, offers ringing, latest offers, open callbacks, unanswered offers, rotation credit, calls
  and callbacks delivered today, and the provider flags that operators and the router flip.

So a decision made from a cached roster is the decision a fresh read would make: if the stamp read with the
counts differs from the one the roster was loaded under, the roster is loaded again before anything is decided.

Changes made around the application (a database console, a queryset ``update()`` on hours or contracts) do not
bump the stamp; they reach the router within ``MAX_AGE_S`` anyway, when the roster is reloaded regardless.
Code that changes routing inputs with ``update()`` calls ``bump_routing_stamp()`` in the same transaction, as
``services.pause_unresponsive_providers`` does.

This module puts the two together for a call (``current``, ``snapshots``); the names of the three modules it is
made of are re-exported here, so ``roster.bump_routing_stamp`` and the like keep working for their callers.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection
from zoneinfo import ZoneInfo

from django.utils import timezone

from clearline.routing import ProviderSnapshot
from clearline.telephony import roster_inputs
from clearline.telephony.roster_counts import Counts, read_counts, rotation_period
from clearline.telephony.roster_inputs import (
    MAX_AGE_S,
    HelplineEntry,
    RosterProvider,
    RoutingInputs,
    cached_inputs,
    forget,
    load_inputs,
)
from clearline.telephony.routing_stamp import (
    STAMP_NAME,
    WATCHED_MODELS,
    bump_routing_stamp,
    connect_signals,
    read_routing_stamp,
)

__all__ = [
    "MAX_AGE_S",
    "STAMP_NAME",
    "WATCHED_MODELS",
    "Counts",
    "HelplineEntry",
    "RosterProvider",
    "RoutingInputs",
    "bump_routing_stamp",
    "cached_inputs",
    "connect_signals",
    "current",
    "forget",
    "load_inputs",
    "read_counts",
    "read_routing_stamp",
    "rotation_period",
    "snapshots",
]


def current(
    now: dt.datetime, window_min: int | None = None, only: Collection[int] | None = None
) -> tuple[RoutingInputs, Counts]:
    """The roster for a call at ``now``: the cached part (loaded again if stale) and fresh counts.

    ``window_min`` is the auto-pause window of the policy in force (default: the cached settings'); ``only``
    limits the counts to some providers.
    """
    day = timezone.localdate(now, timezone.get_default_timezone())  # the operator's, not a staff user's
    inputs = roster_inputs.cached_inputs()
    fresh = False
    if inputs is None or inputs.day != day or time.monotonic() - inputs.loaded_at > MAX_AGE_S:
        inputs, fresh = load_inputs(day), True
    window = window_min if window_min is not None else inputs.policy().auto_pause_window_min
    counts = read_counts(inputs, now, window, only)
    if counts.stamp != inputs.stamp and not fresh:
        # Something changed since the roster was loaded: load it again, then count for the providers it has now.
        inputs = load_inputs(day)
        window = window_min if window_min is not None else inputs.policy().auto_pause_window_min
        counts = read_counts(inputs, now, window, only)
    return inputs, counts


def snapshots(
    inputs: RoutingInputs, counts: Counts, now: dt.datetime, only: Collection[int] | None = None
) -> list[ProviderSnapshot]:
    """Routing's ``ProviderSnapshot`` of each provider (in the roster's order: name, then id)."""
    result = []
    for p in inputs.providers:
        if only is not None and p.id not in only:
            continue
        flags = counts.flags.get(p.id)
        if flags is None:
            continue  # deleted since the roster was loaded
        active, paused, auto_paused, lines, daily_cap, counted_since = flags
        if not active:
            continue  # participating() requires an active provider
        recent_callbacks, late_callbacks = p.callback_record(now)
        unanswered = counts.unanswered.get(p.id, [])
        if counted_since is not None:
            unanswered = [t for t in unanswered if t >= counted_since]
        result.append(
            ProviderSnapshot(
                id=str(p.id),
                name=p.name,
                schedule=p.schedule,
                phone=p.phone,
                contract_active=True,  # the roster holds only providers with a contract running today
                license_expires=p.license_expires,
                certification_expires=p.certification_expires,
                paused=paused,
                auto_paused=auto_paused,
                unanswered_offers=tuple(sorted(unanswered)),
                lines=lines,
                active_calls=counts.lines_in_use.get(p.id, 0),
                ringing=counts.ringing.get(p.id, 0),
                daily_cap=daily_cap,
                delivered_today=counts.delivered.get(p.id, 0),
                delivered_on=now.astimezone(ZoneInfo(p.timezone)).date(),
                open_callbacks=counts.open_callbacks.get(p.id, 0),
                recent_callbacks=recent_callbacks,
                late_callbacks=late_callbacks,
                states=p.states,
                zip_prefixes=p.zip_prefixes,
                languages=p.languages,
                intents=p.intents,
                last_offered_at=counts.last_offered.get(p.id),
                share_credit=counts.credits.get(p.id, 0.0),
            )
        )
    return result
