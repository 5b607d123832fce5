"""What the router reads on every call, in two parts, so a call costs one query instead of a dozen.

- The slowly-changing part: the participating providers (names, phones, time zones, weekly hours, closures,
  documents, regions, languages, call types), the helpline numbers and the routing settings. It is kept in
  this process (``RoutingInputs``) and keyed on a *routing stamp*: a row of ``ContentGeneration`` that every
  change to those rows sets to a fresh random value, in the same transaction as the change
  (``bump_routing_stamp``, connected to the models' ``post_save``/``post_delete`` in ``connect_signals``), and on
  the operator's local date (contracts start and end at midnight without any row changing).
- The part that changes with every call, read fresh in **one** statement (``_COUNTS``) together with the stamp:
  lines in use, offers ringing, each provider's latest offer, open callbacks, unanswered offers in the
  auto-pause window, rotation credit, calls and callbacks delivered on the provider's local day, and the
  provider flags that operators and the router flip (active, paused, auto-paused, lines, daily cap, when the
  unanswered-offer count restarted).

So a decision made from a cached roster is the decision a fresh read would make: if the stamp read with the
counts differs from the one the roster was loaded under, the roster is loaded again before anything is decided.
The stamp is random rather than a count, so a rolled-back change (the call simulator rolls back everything it
did) can never bring an old value, and with it an old roster, back.

Changes made around the application (a database console, a queryset ``update()`` on hours or contracts) do not
bump the stamp; they reach the router within ``MAX_AGE_S`` anyway, when the roster is reloaded regardless.
Code that changes routing inputs with ``update()`` calls ``bump_routing_stamp()`` in the same transaction, as
``services.pause_unresponsive_providers`` does.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.test.signals import setting_changed
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clearline.content.models import DisclosureVersion, Helpline
from clearline.lib.models import ContentGeneration
from clearline.providers.models import ClosureDay, Contract, OpeningHours, Provider, RoutingSettings
from clearline.providers.routing_inputs import build_schedule, intents_of
from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import Intent, ProviderSnapshot, RoutingPolicy, Schedule
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
from clearline.telephony.sql import marks, table, where

STAMP_NAME = "telephony-routing"
# Reload the cached roster at least this often, whatever the stamp says (changes made around the application).
MAX_AGE_S = 30.0
# The models whose saves and deletes change what the cached part holds.
WATCHED_MODELS: tuple[type[Model], ...] = (
    Provider,
    Contract,
    OpeningHours,
    ClosureDay,
    RoutingSettings,
    Helpline,
    DisclosureVersion,
)


# --- the stamp --------------------------------------------------------------------------------------------------


def bump_routing_stamp(**_kwargs: Any) -> None:
    """Mark every process's cached roster stale. Call it in the transaction that changes a routing input."""
    value = secrets.randbits(62) + 1
    if not ContentGeneration.objects.filter(name=STAMP_NAME).update(value=value):
        ContentGeneration.objects.update_or_create(name=STAMP_NAME, defaults={"value": value})


def read_routing_stamp() -> int:
    return ContentGeneration.objects.filter(name=STAMP_NAME).values_list("value", flat=True).first() or 0


def connect_signals() -> None:
    for model in WATCHED_MODELS:
        uid = f"telephony.roster.{model._meta.label_lower}"
        post_save.connect(bump_routing_stamp, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(bump_routing_stamp, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    # Tests change settings the routing defaults are read from (CLEARLINE_ROUTING_WAVE_SIZE): start afresh.
    setting_changed.connect(_forget_on_setting_change, dispatch_uid="telephony.roster.settings", weak=False)


def _forget_on_setting_change(**_kwargs: Any) -> None:
    forget()


# --- the cached part --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterProvider:
    """A participating provider's slowly-changing routing inputs."""

    id: int
    name: str
    phone: str
    timezone: str
    schedule: Schedule
    license_expires: dt.date | None
    certification_expires: dt.date | None
    states: frozenset[str]
    zip_prefixes: frozenset[str]
    languages: frozenset[str]
    intents: frozenset[Intent]


@dataclass(frozen=True)
class HelplineEntry:
    id: int
    kind: str
    intent: str
    facility_id: int | None


@dataclass
class RoutingInputs:
    """The cached part, as loaded under ``stamp`` for the operator's local date ``day``."""

    stamp: int
    day: dt.date
    loaded_at: float
    providers: tuple[RosterProvider, ...]
    helplines: dict[str, HelplineEntry]
    zones: dict[str, tuple[int, ...]]  # time zone -> the providers in it (the daily cap counts local days)
    _policies: dict[str, RoutingPolicy] = field(default_factory=dict)
    _disclosure: DisclosureVersion | None = None
    _disclosure_committed: bool = False

    def policy(self, disclosure_version: int | str = "1") -> RoutingPolicy:
        """``build_policy(disclosure_version)``: the routing settings version in force, read once per roster."""
        key = str(disclosure_version)
        policy = self._policies.get(key)
        if policy is None:
            policy = self._policies[key] = current_routing_settings().to_policy(disclosure_version)
        return policy

    def disclosure(self) -> DisclosureVersion:
        """The current disclosure version (stored first if the roster changed), read once per roster: every input
        of its text (providers, contracts, routing settings, the date) is one this roster is keyed on."""
        version = self._disclosure
        if version is not None and not self._disclosure_committed:
            # Found inside a transaction, which may since have rolled back (the call simulator rolls back each
            # run) and taken a version it stored with it: used only while its row is still there.
            if not DisclosureVersion.objects.filter(pk=version.pk).exists():
                version = None
            elif not _in_transaction():
                self._disclosure_committed = True
        if version is None:
            from clearline.content.disclosure import ensure_current_disclosure

            version = self._disclosure = ensure_current_disclosure()
            self._disclosure_committed = not _in_transaction()
            if not self._disclosure_committed:
                transaction.on_commit(functools.partial(self._disclosure_kept, version))
        return version

    def _disclosure_kept(self, version: DisclosureVersion) -> None:
        if self._disclosure is version:
            self._disclosure_committed = True


def _in_transaction() -> bool:
    """Whether the application has a transaction open, so what it writes may still roll back. A test case's own
    enclosing transaction does not count (as for Django's ``atomic(durable=True)``)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


_lock = threading.Lock()
_current: RoutingInputs | None = None


def forget() -> None:
    """Drop this process's cached roster (the next call loads it again)."""
    global _current
    with _lock:
        _current = None


def cached_inputs() -> RoutingInputs | None:
    return _current


def load_inputs(day: dt.date) -> RoutingInputs:
    """Read the cached part from the database (the stamp first, so nothing read after it is older than it)."""
    global _current
    stamp = read_routing_stamp()
    if not stamp:
        # No stamp yet (a new database, a flushed test database): make one, so that no two rosters ever share a
        # stamp value.
        bump_routing_stamp()
        stamp = read_routing_stamp()
    providers = list(
        Provider.objects.participating(day)
        .prefetch_related("opening_hours", "closures")
        .order_by("name", "pk")
    )
    roster = tuple(
        RosterProvider(
            id=p.pk,
            name=p.name,
            phone=p.phone,
            timezone=p.timezone,
            schedule=build_schedule(p),
            license_expires=p.license_expires_on,
            certification_expires=p.certification_expires_on,
            states=frozenset(p.states or ()),
            zip_prefixes=frozenset(p.zip_prefixes or ()),
            languages=frozenset(p.languages or ("en",)),
            intents=intents_of(p),
        )
        for p in providers
    )
    helplines = {
        number: HelplineEntry(pk, kind, intent, facility_id)
        for pk, number, kind, intent, facility_id in Helpline.objects.values_list(
            "pk", "number", "kind", "intent", "facility_id"
        )
    }
    zones: dict[str, list[int]] = defaultdict(list)
    for p in roster:
        zones[p.timezone].append(p.id)
    inputs = RoutingInputs(
        stamp=stamp,
        day=day,
        loaded_at=time.monotonic(),
        providers=roster,
        helplines=helplines,
        zones={name: tuple(ids) for name, ids in zones.items()},
    )
    with _lock:
        _current = inputs
    return inputs


# --- the fresh part ---------------------------------------------------------------------------------------------


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
    """Fair shares are balanced month by month, the period the transparency figures report."""
    return timezone.localtime(now).strftime("%Y-%m")


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


# --- what a call reads ------------------------------------------------------------------------------------------


def current(
    now: dt.datetime, window_min: int | None = None, only: Collection[int] | None = None
) -> tuple[RoutingInputs, Counts]:
    """The roster for a call at ``now``: the cached part (loaded again if stale) and fresh counts.

    ``window_min`` is the auto-pause window of the policy in force (default: the cached settings'); ``only``
    limits the counts to some providers.
    """
    day = timezone.localdate(now)
    inputs = _current
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
                states=p.states,
                zip_prefixes=p.zip_prefixes,
                languages=p.languages,
                intents=p.intents,
                last_offered_at=counts.last_offered.get(p.id),
                share_credit=counts.credits.get(p.id, 0.0),
            )
        )
    return result
