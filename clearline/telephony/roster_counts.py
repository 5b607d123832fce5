"""The part of what the router reads that changes with every call, read fresh in **one** statement together with
the routing stamp: lines in use, offers ringing, each provider's latest offer, open callbacks, unanswered offers
in the auto-pause window, rotation credit, calls and callbacks delivered on the provider's local day, and the
provider flags that operators and the router flip (active, paused, auto-paused, lines, daily cap, when the
unanswered-offer count restarted).

Hand-written because the benchmark shows the need: the ORM says each count well, but as ten queries
(``OrmStatements.read_counts`` in ``bench/webhooks.py``), and ``bench/webhooks.py --statements`` measures them at
12.9 ms of CPU (this process and PostgreSQL) against 0.72 ms for this one statement, on a voice webhook that costs
about 4 ms in all. Its text depends only on how many providers and zones there are, so with prepared statements
(``DATABASE_PREPARED_STATEMENTS``, on by default) PostgreSQL plans it once per connection rather than per call.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clearline.lib.models import ContentGeneration
from clearline.providers.models import Provider
from clearline.telephony.models import (
    SLOT_HELD,
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallbackStatus,
    LineSlot,
    RotationCredit,
)
from clearline.telephony.roster_inputs import RoutingInputs
from clearline.telephony.routing_stamp import STAMP_NAME
from clearline.telephony.sql import marks, table, where


@dataclass
class Counts:
    stamp: int = 0
    flags: dict[int, tuple[bool, bool, bool, int, int | None, dt.datetime | None]] = field(
        default_factory=dict
    )
    lines_in_use: dict[int, int] = field(default_factory=dict)
    ringing: dict[int, int] = field(default_factory=dict)
    last_offered: dict[int, dt.datetime] = field(default_factory=dict)
    open_callbacks: dict[int, int] = field(default_factory=dict)
    unanswered: dict[int, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))
    credits: dict[int, float] = field(default_factory=dict)
    delivered: dict[int, int] = field(default_factory=lambda: defaultdict(int))


# Row kinds of the counts statement.
STAMP, FLAGS, IN_USE, RINGING, LAST_OFFER, OPEN_CALLBACKS, UNANSWERED, CREDIT, DELIVERED = range(9)


def _in(count: int) -> str:
    return f"({marks(count)})"


def _counts_sql(ids: list[int], zone_days: list[tuple[list[int], Any, Any]]) -> str:
    """The counts statement for these providers and zones. Its text depends only on how many there are (values
    are parameters), so it is built once per shape and database rather than on every call."""
    return _counts_sql_for(connection.vendor, len(ids), tuple(len(zone_ids) for zone_ids, _, _ in zone_days))


@functools.lru_cache(maxsize=256)
def _counts_sql_for(vendor: str, providers: int, zone_sizes: tuple[int, ...]) -> str:
    """One UNION ALL statement whose rows are (kind, provider, n1, n2, n3, at, x); typed NULLs keep PostgreSQL's
    column types straight, and SQLite reads the same SQL. Only table names and placeholders are formatted in."""
    none_int, none_real = "CAST(NULL AS bigint)", "CAST(NULL AS double precision)"
    none_at = "CAST(NULL AS text)" if vendor == "sqlite" else "CAST(NULL AS timestamp with time zone)"

    def branch(
        kind: int, model: type[Model], provider: str, columns: tuple[str, str, str, str, str], where: str
    ) -> str:
        n1, n2, n3, at, x = (
            c or blank
            for c, blank in zip(columns, (none_int, none_int, none_int, none_at, none_real), strict=True)
        )
        group = " GROUP BY " + provider if "COUNT(" in n1 else ""
        return (
            f"SELECT {kind}, {provider}, {n1}, {n2}, {n3}, {at}, {x} FROM {table(model)} WHERE {where}{group}"  # noqa: S608
        )

    def flag(column: str) -> str:
        return f"CASE WHEN {column} THEN 1 ELSE 0 END"

    parts = [branch(STAMP, ContentGeneration, none_int, ("value", "", "", "", ""), "name = %s")]
    if providers:
        inn = _in(providers)
        flags = f"{flag('active')} + 2 * {flag('paused')} + 4 * {flag('auto_paused')}"
        latest = (
            f"(SELECT MAX(a.started_at) FROM {table(Attempt)} a WHERE a.provider_id = {table(Provider)}.id)"  # noqa: S608
        )
        parts += [
            branch(
                FLAGS,
                Provider,
                "id",
                ("lines", "daily_cap", flags, "offers_counted_since", ""),
                f"id IN {inn}",
            ),
            branch(
                IN_USE,
                LineSlot,
                "provider_id",
                ("COUNT(*)", "", "", "", ""),
                f"provider_id IN {inn} AND {where(LineSlot, SLOT_HELD)}",
            ),
            branch(
                RINGING,
                Attempt,
                "provider_id",
                ("COUNT(*)", "", "", "", ""),
                f"provider_id IN {inn} AND status = %s",
            ),
            # One index probe per provider ((provider, started_at)), not a scan of every attempt ever made.
            branch(LAST_OFFER, Provider, "id", ("", "", "", latest, ""), f"id IN {inn}"),
            branch(
                OPEN_CALLBACKS,
                CallbackRequest,
                "provider_id",
                ("COUNT(*)", "", "", "", ""),
                f"provider_id IN {inn} AND status = %s",
            ),
            branch(
                UNANSWERED,
                Attempt,
                "provider_id",
                ("", "", "", "started_at", ""),
                f"provider_id IN {inn} AND status = %s AND started_at >= %s",
            ),
            branch(
                CREDIT,
                RotationCredit,
                "provider_id",
                ("", "", "", "", "credit"),
                f"provider_id IN {inn} AND period = %s",
            ),
        ]
        for size in zone_sizes:
            zin = _in(size)
            parts += [
                branch(
                    DELIVERED,
                    Call,
                    "connected_provider_id",
                    ("COUNT(*)", "", "", "", ""),
                    f"connected_provider_id IN {zin} AND answered_at >= %s AND answered_at < %s",
                ),
                branch(
                    DELIVERED,
                    CallbackRequest,
                    "provider_id",
                    ("COUNT(*)", "", "", "", ""),
                    f"provider_id IN {zin} AND created_at >= %s AND created_at < %s",
                ),
            ]
    return "\nUNION ALL\n".join(parts)


def _as_datetime(value: Any) -> dt.datetime | None:
    # PostgreSQL gives aware datetimes; SQLite gives text, in UTC.
    moment = value if value is None or isinstance(value, dt.datetime) else parse_datetime(str(value))
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


def rotation_period(now: dt.datetime) -> str:
    """Fair shares are balanced month by month, the period the transparency figures report: the operator's month
    (``TIME_ZONE``), also when a staff member whose admin runs in another zone drives the simulator or replay."""
    return timezone.localtime(now, timezone.get_default_timezone()).strftime("%Y-%m")


def read_counts(
    inputs: RoutingInputs, now: dt.datetime, window_min: int, only: Collection[int] | None
) -> Counts:
    """The stamp and every per-call count of the roster's providers (or only of ``only``), in one statement."""
    ids = [p.id for p in inputs.providers if only is None or p.id in only]
    adapt = connection.ops.adapt_datetimefield_value
    zone_days = []
    wanted = set(ids)
    for zone_name, zone_ids in inputs.zones.items():
        members = [i for i in zone_ids if i in wanted]
        if members:
            tz = ZoneInfo(zone_name)
            start = dt.datetime.combine(now.astimezone(tz).date(), dt.time(0, 0), tzinfo=tz)
            zone_days.append((members, start, start + dt.timedelta(days=1)))
    params: list[Any] = [STAMP_NAME]
    if ids:
        params += ids  # flags
        params += ids  # lines in use
        params += [*ids, AttemptStatus.RINGING.value]
        params += ids  # latest offer
        params += [*ids, CallbackStatus.OPEN.value]
        params += [*ids, AttemptStatus.NO_ANSWER.value, adapt(now - dt.timedelta(minutes=window_min))]
        params += [*ids, rotation_period(now)]
        for members, start, end in zone_days:
            params += [*members, adapt(start), adapt(end)] * 2  # accepted calls, then callbacks assigned
    counts = Counts()
    with connection.cursor() as cursor:
        cursor.execute(_counts_sql(ids, zone_days), params)
        rows = cursor.fetchall()
    for kind, provider_id, n1, n2, n3, at, x in rows:
        if kind == STAMP:
            counts.stamp = int(n1 or 0)
        elif kind == FLAGS:
            bits = int(n3)
            counts.flags[provider_id] = (
                bool(bits & 1),
                bool(bits & 2),
                bool(bits & 4),
                int(n1),
                None if n2 is None else int(n2),
                _as_datetime(at),
            )
        elif kind == IN_USE:
            counts.lines_in_use[provider_id] = int(n1)
        elif kind == RINGING:
            counts.ringing[provider_id] = int(n1)
        elif kind == LAST_OFFER:
            if at is not None:
                counts.last_offered[provider_id] = _as_datetime(at)  # type: ignore[assignment]
        elif kind == OPEN_CALLBACKS:
            counts.open_callbacks[provider_id] = int(n1)
        elif kind == UNANSWERED:
            counts.unanswered[provider_id].append(_as_datetime(at))  # type: ignore[arg-type]
        elif kind == CREDIT:
            counts.credits[provider_id] = float(x)
        elif kind == DELIVERED:
            counts.delivered[provider_id] += int(n1)
    return counts
