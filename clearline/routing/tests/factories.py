"""Explicit builders for routing tests: a provider open around the clock with everything in order, by default."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from clearline.routing.schedule import Schedule
from clearline.routing.types import CallContext, ProviderSnapshot, RoutingPolicy

NEW_YORK = ZoneInfo("America/New_York")
# A Wednesday, 14:00 in New York.
NOW = datetime(2026, 3, 4, 14, 0, tzinfo=NEW_YORK)
VALID = date(2030, 1, 1)


def provider(pid: str = "p1", **changes: Any) -> ProviderSnapshot:
    base = ProviderSnapshot(
        id=pid,
        name=f"Provider {pid}",
        schedule=Schedule("America/New_York", always_open=True),
        phone="+15555550100",
        license_expires=VALID,
        certification_expires=VALID,
        lines=2,
    )
    return replace(base, **changes)


def providers(n: int, **changes: Any) -> list[ProviderSnapshot]:
    return [provider(f"p{i}", **changes) for i in range(n)]


def call(**changes: Any) -> CallContext:
    return replace(CallContext(call_id="CA123"), **changes)


POLICY = RoutingPolicy()
