"""The slowly-changing part of what the router reads, kept in this process: the participating providers (names,
phones, time zones, weekly hours, closures, documents, regions, languages, call types), the helpline numbers,
the routing settings and the current disclosure version, loaded under a routing stamp (``routing_stamp``) and
for the operator's local date (contracts start and end at midnight without any row changing).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction

from clearline.content.models import DisclosureVersion, Helpline
from clearline.providers.models import Provider
from clearline.providers.routing_inputs import build_schedule, intents_of
from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import Intent, RoutingPolicy, Schedule
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
