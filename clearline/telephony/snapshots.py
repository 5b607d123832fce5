"""Build the routing engine's inputs from database rows: the only place rows become ProviderSnapshots."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Aggregate, Case, Count, F, FloatField, Max, QuerySet, Value, When
from django.utils import timezone

from clearline.providers.models import Provider
from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import Intent, ProviderSnapshot, RoutingPolicy, Schedule, TimeRange
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallbackStatus,
    LineSlot,
    RotationCredit,
)


def build_policy(disclosure_version: int | str = "1") -> RoutingPolicy:
    """The routing settings version in force. The wave size is the same row the public disclosure states."""
    return current_routing_settings().to_policy(disclosure_version)


def build_schedule(provider: Provider) -> Schedule:
    weekly: list[list[TimeRange]] = [[] for _ in range(7)]
    for row in provider.opening_hours.all():
        weekly[row.weekday].append(TimeRange(row.opens, row.closes))
    holidays = set()
    exceptions: dict[dt.date, tuple[TimeRange, ...]] = {}
    for closure in provider.closures.all():
        if closure.opens is None or closure.closes is None:
            holidays.add(closure.date)
        else:
            exceptions[closure.date] = (TimeRange(closure.opens, closure.closes),)
    return Schedule(
        timezone=provider.timezone,
        weekly=tuple(tuple(day) for day in weekly),
        always_open=provider.open_24_7,
        holidays=frozenset(holidays),
        exceptions=exceptions or None,
    )


def per_provider(queryset: QuerySet[Any], field: str, aggregate: Aggregate) -> dict[int, Any]:
    """One grouped query: {provider id: aggregate} over ``queryset`` (e.g. lines in use, last offer)."""
    return dict(queryset.values_list(field).annotate(value=aggregate).values_list(field, "value"))


def snapshot_providers(
    now: dt.datetime, policy: RoutingPolicy, only: list[int] | None = None
) -> list[ProviderSnapshot]:
    """Every participating provider (or only those in ``only``) as it is at ``now``: hours, documents, pauses,
    lines in use, caps."""
    roster = Provider.objects.participating(timezone.localdate(now))
    if only is not None:
        roster = roster.filter(pk__in=only)
    providers = list(roster.prefetch_related("opening_hours", "closures"))
    ids = [p.pk for p in providers]
    lines_in_use = per_provider(
        LineSlot.objects.filter(provider_id__in=ids, released_at__isnull=True), "provider_id", Count("id")
    )
    ringing = per_provider(
        Attempt.objects.filter(provider_id__in=ids, status=AttemptStatus.RINGING), "provider_id", Count("id")
    )
    last_offered = per_provider(Attempt.objects.filter(provider_id__in=ids), "provider_id", Max("started_at"))
    open_callbacks = per_provider(
        CallbackRequest.objects.filter(provider_id__in=ids, status=CallbackStatus.OPEN),
        "provider_id",
        Count("id"),
    )
    window_start = now - dt.timedelta(minutes=policy.auto_pause_window_min)
    unanswered: dict[int, list[dt.datetime]] = defaultdict(list)
    counted_since = {p.pk: p.offers_counted_since for p in providers}
    for provider_id, started_at in Attempt.objects.filter(
        provider_id__in=ids, status=AttemptStatus.NO_ANSWER, started_at__gte=window_start
    ).values_list("provider_id", "started_at"):
        since = counted_since.get(provider_id)
        if since is None or started_at >= since:
            unanswered[provider_id].append(started_at)
    credits = dict(
        RotationCredit.objects.filter(provider_id__in=ids, period=rotation_period(now)).values_list(
            "provider_id", "credit"
        )
    )
    delivered = count_delivered_today(providers, now)
    snapshots = []
    for provider in providers:
        local_day = now.astimezone(ZoneInfo(provider.timezone)).date()
        snapshots.append(
            ProviderSnapshot(
                id=str(provider.pk),
                name=provider.name,
                schedule=build_schedule(provider),
                phone=provider.phone,
                contract_active=True,  # participating() already requires a running contract
                license_expires=provider.license_expires_on,
                certification_expires=provider.certification_expires_on,
                paused=provider.paused,
                auto_paused=provider.auto_paused,
                unanswered_offers=tuple(sorted(unanswered.get(provider.pk, []))),
                lines=provider.lines,
                active_calls=lines_in_use.get(provider.pk, 0),
                ringing=ringing.get(provider.pk, 0),
                daily_cap=provider.daily_cap,
                delivered_today=delivered.get(provider.pk, 0),
                delivered_on=local_day,
                open_callbacks=open_callbacks.get(provider.pk, 0),
                states=frozenset(provider.states or ()),
                zip_prefixes=frozenset(provider.zip_prefixes or ()),
                languages=frozenset(provider.languages or ("en",)),
                intents=frozenset(Intent(i) for i in provider.intents)
                if provider.intents
                else frozenset(Intent),
                last_offered_at=last_offered.get(provider.pk),
                share_credit=credits.get(provider.pk, 0.0),
            )
        )
    return snapshots


def rotation_period(now: dt.datetime) -> str:
    """Fair shares are balanced month by month, the period the transparency figures report."""
    return timezone.localtime(now).strftime("%Y-%m")


def apply_share_credit(changes: dict[str, float], now: dt.datetime) -> None:
    """Add one decision's share-credit changes to the month's running sums: one insert of missing rows and one
    atomic UPDATE for all providers (each row gets its own increment)."""
    if not changes:
        return
    period = rotation_period(now)
    ids = [int(p) for p in changes]
    RotationCredit.objects.bulk_create(
        [RotationCredit(provider_id=pid, period=period) for pid in ids], ignore_conflicts=True
    )
    increment = Case(
        *(When(provider_id=int(pid), then=Value(change)) for pid, change in changes.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )
    RotationCredit.objects.filter(provider_id__in=ids, period=period).update(credit=F("credit") + increment)


def count_delivered_today(providers: list[Provider], now: dt.datetime) -> dict[int, int]:
    """Calls accepted plus callbacks assigned on each provider's own local date (the daily cap's unit): two
    grouped queries per time zone in the roster, not two per provider."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for provider in providers:
        by_zone[provider.timezone].append(provider.pk)
    counts: dict[int, int] = defaultdict(int)
    for zone_name, ids in by_zone.items():
        tz = ZoneInfo(zone_name)
        start = dt.datetime.combine(now.astimezone(tz).date(), dt.time(0, 0), tzinfo=tz)
        end = start + dt.timedelta(days=1)
        accepted = per_provider(
            Call.objects.filter(connected_provider_id__in=ids, answered_at__gte=start, answered_at__lt=end),
            "connected_provider_id",
            Count("id"),
        )
        callbacks = per_provider(
            CallbackRequest.objects.filter(provider_id__in=ids, created_at__gte=start, created_at__lt=end),
            "provider_id",
            Count("id"),
        )
        for provider_id, n in [*accepted.items(), *callbacks.items()]:
            counts[provider_id] += n
    return counts
