"""Build the routing engine's inputs from database rows: the only place rows become ProviderSnapshots.

The rows are read through ``roster.py``: the slowly-changing part of the roster is cached per process under a
stamp every change renews, the per-call counts are read fresh in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import connection

from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import ProviderSnapshot, RoutingPolicy
from clearline.telephony import roster
from clearline.telephony.models import RotationCredit
from clearline.telephony.roster import build_schedule, rotation_period

__all__ = [
    "apply_share_credit",
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


def apply_share_credit(changes: dict[str, float], now: dt.datetime) -> None:
    """Add one decision's share-credit changes to the month's running sums: one upsert for all providers, each
    row created or incremented atomically (rows in provider order, so concurrent calls lock them alike)."""
    if not changes:
        return
    period = rotation_period(now)
    rows = sorted((int(pid), float(change)) for pid, change in changes.items())
    table = connection.ops.quote_name(RotationCredit._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [value for pid, change in rows for value in (pid, period, change)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (provider_id, period, credit) VALUES {values} "  # noqa: S608 (no user input)
            f"ON CONFLICT (provider_id, period) DO UPDATE SET credit = {table}.credit + excluded.credit",
            params,
        )
