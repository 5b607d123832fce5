"""Build the routing engine's inputs from database rows: the only place rows become ProviderSnapshots.

The rows are read through ``roster.py``: the slowly-changing part of the roster is cached per process under a
stamp every change renews, the per-call counts are read fresh in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from clearline.providers.routing_inputs import build_schedule
from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import ProviderSnapshot, RoutingPolicy
from clearline.telephony import roster
from clearline.telephony.roster import rotation_period

__all__ = [
    "build_policy",
    "build_schedule",
    "rotation_period",
    "snapshot_providers",
]


def build_policy(disclosure_version: int | str = "1") -> RoutingPolicy:
    """The routing settings version in force. The wave size is the same row the public disclosure states."""
    return current_routing_settings().to_policy(disclosure_version)


def snapshot_providers(
    now: dt.datetime, policy: RoutingPolicy, only: Collection[int] | None = None
) -> list[ProviderSnapshot]:
    """Every participating provider (or only those in ``only``) as it is at ``now``: hours, documents, pauses,
    lines in use, caps."""
    wanted = None if only is None else {int(p) for p in only}
    inputs, counts = roster.current(now, window_min=policy.auto_pause_window_min, only=wanted)
    return roster.snapshots(inputs, counts, now, only=wanted)
