"""The cached roster (telephony/roster.py) gives exactly the snapshots a fresh read gives, and goes stale never.

``direct_snapshots`` below is the straightforward ORM read the router used before the cache (one query per
count): every test compares against it after changing something, with the cache warm from before the change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearline.content.models import Helpline
from clearline.content.tests.conftest import add_provider
from clearline.providers.models import ClosureDay, Contract, OpeningHours, Provider, RoutingSettings
from clearline.routing import Intent, ProviderSnapshot, RoutingPolicy
from clearline.telephony import roster, services
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallbackRequest,
    CallbackStatus,
    CallOutcome,
    LineSlot,
    RotationCredit,
)
from clearline.telephony.roster_inputs import CALLBACK_RECORD_DAYS
from clearline.telephony.snapshots import build_policy, build_schedule, rotation_period, snapshot_providers
from clearline.telephony.tests.conftest import CALLER, HELPLINE

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)  # a Wednesday, 10:00 in New York


def direct_snapshots(now: dt.datetime, policy: RoutingPolicy) -> list[ProviderSnapshot]:
    """The uncached reference: every input read from its table, as the router did before roster.py."""
    providers = list(
        Provider.objects.participating(timezone.localdate(now)).prefetch_related("opening_hours", "closures")
    )
    ids = [p.pk for p in providers]

    def grouped(queryset, field, aggregate):
        return dict(queryset.values_list(field).annotate(value=aggregate).values_list(field, "value"))

    in_use = grouped(LineSlot.objects.held().filter(provider_id__in=ids), "provider_id", Count("id"))
    ringing = grouped(
        Attempt.objects.filter(provider_id__in=ids, status=AttemptStatus.RINGING), "provider_id", Count("id")
    )
    last = grouped(Attempt.objects.filter(provider_id__in=ids), "provider_id", Max("started_at"))
    callbacks = grouped(
        CallbackRequest.objects.filter(provider_id__in=ids, status=CallbackStatus.OPEN),
        "provider_id",
        Count("id"),
    )
    unanswered = defaultdict(list)
    since = {p.pk: p.offers_counted_since for p in providers}
    for pid, started in Attempt.objects.filter(
        provider_id__in=ids,
        status=AttemptStatus.NO_ANSWER,
        started_at__gte=now - dt.timedelta(minutes=policy.auto_pause_window_min),
    ).values_list("provider_id", "started_at"):
        if since[pid] is None or started >= since[pid]:
            unanswered[pid].append(started)
    credits = dict(
        RotationCredit.objects.filter(provider_id__in=ids, period=rotation_period(now)).values_list(
            "provider_id", "credit"
        )
    )
    # The callback record (recent settled, late), as the deadline job sees requests: a returned one settles when
    # it was returned (late after its deadline), any other at its deadline, late; one moved on was late for
    # each provider before the one holding it.
    record: dict[int, list[bool]] = defaultdict(list)
    for r in CallbackRequest.objects.filter(created_at__gte=now - dt.timedelta(days=CALLBACK_RECORD_DAYS)):
        returned = r.status == CallbackStatus.RETURNED and r.closed_at is not None
        settled = r.closed_at if returned else r.due_at
        if r.created_at <= now and settled is not None and settled < now:
            record[r.provider_id].append(not returned or r.closed_at > r.due_at)
        if r.reassignments and r.created_at < now:
            for earlier in list(r.assignees or ())[:-1]:
                record[int(earlier)].append(True)
    delivered: dict[int, int] = defaultdict(int)
    for p in providers:
        tz = ZoneInfo(p.timezone)
        start = dt.datetime.combine(now.astimezone(tz).date(), dt.time(0, 0), tzinfo=tz)
        end = start + dt.timedelta(days=1)
        delivered[p.pk] += Call.objects.filter(
            connected_provider=p, answered_at__gte=start, answered_at__lt=end
        ).count()
        delivered[p.pk] += CallbackRequest.objects.filter(
            provider=p, created_at__gte=start, created_at__lt=end
        ).count()
    return [
        ProviderSnapshot(
            id=str(p.pk),
            name=p.name,
            schedule=build_schedule(p),
            phone=p.phone,
            contract_active=True,
            license_expires=p.license_expires_on,
            certification_expires=p.certification_expires_on,
            paused=p.paused,
            auto_paused=p.auto_paused,
            unanswered_offers=tuple(sorted(unanswered.get(p.pk, []))),
            lines=p.lines,
            active_calls=in_use.get(p.pk, 0),
            ringing=ringing.get(p.pk, 0),
            daily_cap=p.daily_cap,
            delivered_today=delivered[p.pk],
            delivered_on=now.astimezone(ZoneInfo(p.timezone)).date(),
            open_callbacks=callbacks.get(p.pk, 0),
            recent_callbacks=len(record[p.pk]),
            late_callbacks=sum(record[p.pk]),
            states=frozenset(p.states or ()),
            zip_prefixes=frozenset(p.zip_prefixes or ()),
            languages=frozenset(p.languages or ("en",)),
            intents=frozenset(Intent(i) for i in p.intents) if p.intents else frozenset(Intent),
            last_offered_at=last.get(p.pk),
            share_credit=credits.get(p.pk, 0.0),
        )
        for p in providers
    ]


def assert_fresh(now: dt.datetime = NOW) -> list[ProviderSnapshot]:
    policy = build_policy()
    cached = snapshot_providers(now, policy)
    assert cached == direct_snapshots(now, policy)
    return cached


@pytest.fixture
def warm(helpline, providers):
    """The three conftest providers, with the cache loaded before the test changes anything."""
    roster.forget()
    assert_fresh()
    assert roster.cached_inputs() is not None
    return providers


def call_at(sid: str, moment: dt.datetime, **fields) -> Call:
    call = Call.objects.create(call_sid=sid, number_kind="helpline", **fields)
    Call.objects.filter(pk=call.pk).update(started_at=moment)
    return call


def test_every_count_matches_a_fresh_read(warm):
    alder, birch, cedar = warm
    birch.timezone, birch.daily_cap, birch.states, birch.languages = (
        "America/Los_Angeles",
        4,
        ["WA"],
        ["en", "es"],
    )
    birch.offers_counted_since = NOW - dt.timedelta(minutes=20)
    birch.save()
    cedar.paused, cedar.intents = True, ["detox"]
    cedar.save()
    one, two, three = (call_at(f"CA{n}", NOW) for n in range(3))
    LineSlot.objects.create(call=one, provider=alder)
    LineSlot.objects.create(call=two, provider=alder, released_at=NOW)
    for call, provider, status, minutes_ago in (
        (one, alder, AttemptStatus.RINGING, 1),
        (two, alder, AttemptStatus.NO_ANSWER, 10),
        (two, birch, AttemptStatus.NO_ANSWER, 10),  # after birch's resume: counts
        (three, birch, AttemptStatus.NO_ANSWER, 30),  # before it: does not
        (three, cedar, AttemptStatus.NO_ANSWER, 90),  # outside the window
    ):
        attempt = Attempt.objects.create(call=call, step_index=2, provider=provider, status=status)
        Attempt.objects.filter(pk=attempt.pk).update(started_at=NOW - dt.timedelta(minutes=minutes_ago))
    Call.objects.filter(pk=one.pk).update(connected_provider=birch, answered_at=NOW - dt.timedelta(hours=1))
    # 04:00 UTC is still "yesterday" in Los Angeles: not delivered today there.
    Call.objects.filter(pk=two.pk).update(
        connected_provider=birch, answered_at=NOW.replace(hour=4), outcome=CallOutcome.CONNECTED
    )
    callback = CallbackRequest.objects.create(call=three, provider=alder, due_at=NOW)
    CallbackRequest.objects.filter(pk=callback.pk).update(created_at=NOW - dt.timedelta(minutes=5))
    RotationCredit.objects.create(provider=alder, period=rotation_period(NOW), credit=0.5)
    RotationCredit.objects.create(provider=birch, period="2026-10", credit=9.0)  # another month
    snapshots = {s.name: s for s in assert_fresh()}
    alder_now = snapshots["Alder Recovery"]
    assert (alder_now.active_calls, alder_now.ringing, alder_now.open_callbacks) == (1, 1, 1)
    assert alder_now.share_credit == 0.5 and alder_now.delivered_today == 1
    assert len(alder_now.unanswered_offers) == 1
    assert snapshots["Birch Health"].delivered_today == 1
    assert len(snapshots["Birch Health"].unanswered_offers) == 1
    assert snapshots["Cedar Care"].paused


def test_hours_closures_and_documents_saved_in_the_admin_reach_the_next_call(warm):
    alder, birch, cedar = warm
    alder.open_24_7 = False
    alder.save()
    OpeningHours.objects.create(provider=alder, weekday=2, opens=dt.time(9), closes=dt.time(17))
    closure = ClosureDay.objects.create(provider=birch, date=NOW.date())
    cedar.license_expires_on = dt.date(2026, 11, 1)
    cedar.save()
    snapshots = {s.name: s for s in assert_fresh()}
    assert not snapshots["Alder Recovery"].schedule.always_open
    assert NOW.date() in snapshots["Birch Health"].schedule.holidays
    assert snapshots["Cedar Care"].license_expires == dt.date(2026, 11, 1)
    closure.delete()
    OpeningHours.objects.filter(provider=alder).first().delete()
    snapshots = {s.name: s for s in assert_fresh()}
    assert snapshots["Alder Recovery"].schedule.weekly[2] == ()
    assert not snapshots["Birch Health"].schedule.holidays


def test_providers_joining_and_leaving_reach_the_next_call(warm):
    alder, _birch, _cedar = warm
    add_provider("Dogwood Clinic")
    assert "Dogwood Clinic" in {s.name for s in assert_fresh()}
    contract = Contract.objects.get(provider=alder)
    contract.ends_on = dt.date(2026, 11, 17)
    contract.save()
    assert "Alder Recovery" not in {s.name for s in assert_fresh()}
    Provider.objects.filter(name="Dogwood Clinic").update(active=False)  # no signal: the fresh flags see it
    assert "Dogwood Clinic" not in {s.name for s in assert_fresh()}


def test_pauses_and_lines_flipped_with_update_are_read_fresh(warm):
    alder, birch, _cedar = warm
    Provider.objects.filter(pk=alder.pk).update(paused=True, lines=3, daily_cap=7)
    Provider.objects.filter(pk=birch.pk).update(auto_paused=True, offers_counted_since=NOW)
    snapshots = {s.name: s for s in assert_fresh()}
    assert snapshots["Alder Recovery"].paused and snapshots["Alder Recovery"].lines == 3
    assert snapshots["Alder Recovery"].daily_cap == 7
    assert snapshots["Birch Health"].auto_paused


def test_a_contract_starting_tomorrow_counts_from_midnight(warm):
    add_provider("Dogwood Clinic", starts_on=dt.date(2026, 11, 19))
    assert "Dogwood Clinic" not in {s.name for s in assert_fresh()}
    tomorrow = NOW + dt.timedelta(days=1)
    assert "Dogwood Clinic" in {s.name for s in assert_fresh(tomorrow)}


def test_changes_made_around_the_application_arrive_within_the_maximum_age(warm, monkeypatch):
    alder = warm[0]
    OpeningHours.objects.bulk_create(
        [OpeningHours(provider=alder, weekday=2, opens=dt.time(9), closes=dt.time(10))]
    )
    assert snapshot_providers(NOW, build_policy())[0].schedule.weekly[2] == ()  # no signal, no stamp: cached
    real = roster.time.monotonic
    monkeypatch.setattr(roster.time, "monotonic", lambda: real() + roster.MAX_AGE_S + 1)
    assert assert_fresh()[0].schedule.weekly[2] != ()


def test_a_rolled_back_change_never_comes_back(warm):
    alder = warm[0]
    with transaction.atomic():
        alder.name = "Alder Renamed"
        alder.save()
        assert "Alder Renamed" in {s.name for s in assert_fresh()}  # cached under the uncommitted stamp
        transaction.set_rollback(True)
    assert "Alder Renamed" not in {s.name for s in assert_fresh()}
    # A later committed change draws a new random stamp: the rolled-back roster cannot match it.
    Provider.objects.get(pk=warm[1].pk).save()
    assert "Alder Renamed" not in {s.name for s in assert_fresh()}


def test_a_change_in_another_process_is_seen_through_the_stamp(warm):
    stamp = roster.cached_inputs().stamp
    # Another process saved a provider: its own cache is elsewhere; only the stamp row tells this one.
    Provider.objects.filter(pk=warm[0].pk).update(name="Alder Elsewhere")
    roster.bump_routing_stamp()
    assert roster.read_routing_stamp() != stamp
    assert "Alder Elsewhere" in {s.name for s in assert_fresh()}


def test_routing_settings_and_helplines_reach_the_next_call(warm):
    assert services.start_call(
        call_sid="CA1", to_number=HELPLINE, caller_number=CALLER, now=NOW
    ).plan.first_dial()
    RoutingSettings.objects.create(wave_size=1, note="one at a time")
    dial = services.start_call(
        call_sid="CA2", to_number=HELPLINE, caller_number=CALLER, now=NOW
    ).plan.first_dial()
    assert dial is not None and len(dial.targets) == 1
    Helpline.objects.create(label="Heroin Hotline", intent="hotline", number="+12065550103")
    assert services.start_call(
        call_sid="CA3", to_number="+12065550103", caller_number=CALLER, now=NOW
    ).created


def test_an_auto_pause_renews_the_stamp(warm):
    alder = warm[0]
    call = call_at("CA1", NOW)
    for minutes in (5, 10, 15):
        attempt = Attempt.objects.create(
            call=call, step_index=minutes, provider=alder, status=AttemptStatus.NO_ANSWER
        )
        Attempt.objects.filter(pk=attempt.pk).update(started_at=NOW - dt.timedelta(minutes=minutes))
    stamp = roster.read_routing_stamp()
    assert services.pause_unresponsive_providers([alder.pk], NOW) == [alder.pk]
    assert roster.read_routing_stamp() != stamp
    assert {s.name: s for s in assert_fresh()}["Alder Recovery"].auto_paused


def test_a_call_reads_one_statement_and_writes_one(warm, settings):
    services.start_call(
        call_sid="CA0", to_number=HELPLINE, caller_number=CALLER, now=NOW
    )  # disclosure stored
    services.start_call(call_sid="CA1", to_number=HELPLINE, caller_number=CALLER, now=NOW)
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        started = services.start_call(call_sid="CA2", to_number=HELPLINE, caller_number=CALLER, now=NOW)
    verbs = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")  # not BEGIN, COMMIT or the test's savepoints
    statements = [q["sql"].split()[0] for q in queries.captured_queries if q["sql"].startswith(verbs)]
    # The share credit rides in the call's INSERT on PostgreSQL (SQLite has no INSERT inside WITH).
    written = ["WITH"] if connection.vendor == "postgresql" else ["INSERT", "INSERT"]
    assert started.created and statements == ["SELECT", *written], statements
