"""The slowly-changing part of what the router reads, kept in this process: the participating providers (names,
phones, time zones, weekly hours, closures, documents, regions, languages, call types, callback records), the
helpline numbers, the routing settings and the current disclosure version, loaded under a routing stamp
(``routing_stamp``) and for the operator's local date (contracts start and end at midnight without any row
changing).

A callback record (routing's ``keeps_callbacks``) is kept as the provider's recent callback requests, each with
the moment it became settled, so ``RosterProvider.callback_record(now)`` is exact for any moment of the day the
roster was loaded for, as of the load: a callback returned since then (at most ``MAX_AGE_S`` ago; returning one
does not renew the stamp) may count as late for that long if its deadline passed meanwhile.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import connection, transaction

from clearline.content.models import DisclosureVersion, Helpline
from clearline.providers.models import Provider
from clearline.providers.routing_inputs import build_schedule, intents_of
from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import Intent, RoutingPolicy, Schedule
from clearline.routing.callback_choice import CALLBACK_RECORD_DAYS
from clearline.telephony.models import CallbackRequest, CallbackStatus
from clearline.telephony.routing_stamp import bump_routing_stamp, read_routing_stamp

# Reload the cached roster at least this often, whatever the stamp says (changes made around the application).
MAX_AGE_S = 30.0


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
    # Its callback requests of the record's window: (assigned at, settled at, late), settled at None while open
    # and not yet due (``callback_records``).
    callbacks: tuple[tuple[dt.datetime, dt.datetime | None, bool], ...] = ()

    def callback_record(self, now: dt.datetime) -> tuple[int, int]:
        """(recent, late) for routing's ``ProviderSnapshot``: its callbacks assigned in the
        ``CALLBACK_RECORD_DAYS`` before ``now`` and settled before it, and of those the ones late (an open one
        once its deadline has passed, as the deadline job sees it)."""
        if not self.callbacks:
            return 0, 0
        since = now - dt.timedelta(days=CALLBACK_RECORD_DAYS)
        recent = late = 0
        for assigned, settled, was_late in self.callbacks:
            if since <= assigned <= now and settled is not None and settled < now:
                recent += 1
                late += was_late
        return recent, late


def callback_records(
    provider_ids: Collection[int], since: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime | None, bool]]]:
    """The callback requests assigned since ``since`` that these providers hold or held, as (assigned at, settled
    at, late): returned (settled when closed; late if after its deadline), closed unreturned or open (settled and
    late at the deadline, as the deadline job sees it). A request moved on by the deadline job was late for each
    provider it was taken from (settled when it was created: its first deadline passed before it moved).

    One query, on the (provider, created_at) index: a request is found through the provider holding it now, so
    one moved on to a provider no longer participating is missed (rare, and its record would clear in a week)."""
    records: dict[int, list[tuple[dt.datetime, dt.datetime | None, bool]]] = defaultdict(list)
    rows = CallbackRequest.objects.filter(provider_id__in=provider_ids, created_at__gte=since).values_list(
        "provider_id", "created_at", "due_at", "status", "closed_at", "reassignments", "assignees"
    )
    for provider_id, created, due, status, closed, moved, assignees in rows:
        if status == CallbackStatus.RETURNED and closed is not None:
            records[provider_id].append((created, closed, closed > due))
        else:
            records[provider_id].append((created, due, True))
        if moved:
            for earlier in list(assignees or ())[:-1]:
                records[int(earlier)].append((created, created, True))
    return records


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
    # From a day before the record's window for any moment of ``day`` in any zone.
    since = dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC) - dt.timedelta(
        days=CALLBACK_RECORD_DAYS + 2
    )
    records = callback_records([p.pk for p in providers], since)
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
            callbacks=tuple(sorted(records.get(p.pk, ()))),
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
