"""Telephony services against the database: planning, lines, acceptance, failover, status, callbacks."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from clearline.content.models import Helpline, HelplineKind
from clearline.lib.phone import decrypt_number
from clearline.routing import CallbackOffer, Connect, Dial, Disclosure
from clearline.telephony import services
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallbackRequest, CallOutcome, LineSlot
from clearline.telephony.tests.conftest import CALLER, HELPLINE, wave_over

pytestmark = pytest.mark.django_db


def start(call_sid: str = "CA0001", **kwargs):
    return services.start_call(call_sid=call_sid, to_number=HELPLINE, caller_number=CALLER, **kwargs)


def test_a_call_is_planned_once_and_names_who_will_answer(helpline, providers):
    first = start()
    assert first.created
    disclosure = first.plan.steps[0]
    assert isinstance(disclosure, Disclosure)
    dial = first.plan.first_dial()
    assert isinstance(dial, Dial) and len(dial.targets) == 2  # waves of two by default
    assert {t.name for t in disclosure.targets} == {t.name for t in dial.targets}
    again = start()
    assert not again.created and again.plan == first.plan
    call = Call.objects.get()
    assert call.disclosure_version is not None
    assert call.trace["seed"] == call.seed
    assert CALLER not in str(call.__dict__)
    assert len(call.caller_hmac) == 64


def test_an_unknown_number_is_refused_without_a_record(db):
    with pytest.raises(services.TelephonyError):
        services.start_call(call_sid="CA9", to_number="+12065550199", caller_number=CALLER)
    assert not Call.objects.exists()


def test_lines_are_never_overbooked(helpline, providers):
    alder = providers[0]
    calls = [start(f"CA{n}").call for n in range(3)]
    held = [services.reserve_lines(call, [str(alder.pk)]) for call in calls]
    assert held == [[str(alder.pk)], [], []]
    assert services.reserve_lines(calls[0], [str(alder.pk)]) == [str(alder.pk)]  # repeated webhook
    assert LineSlot.objects.filter(provider=alder, released_at__isnull=True).count() == 1
    assert services.release_lines(calls[0]) == 1
    assert services.release_lines(calls[0]) == 0  # exactly once
    assert services.reserve_lines(calls[1], [str(alder.pk)]) == [str(alder.pk)]


def test_the_first_provider_to_press_1_takes_the_call(helpline, providers):
    call = start().call
    dial = call.routing_plan.first_dial()
    ids = [t.id for t in dial.targets]
    services.reserve_lines(call, ids)
    services.record_attempts(call, dial.index, ids)
    assert services.accept_attempt(call, dial.index, ids[1]) is True
    assert services.accept_attempt(call, dial.index, ids[0]) is False
    call.refresh_from_db()
    assert call.outcome == CallOutcome.CONNECTED and str(call.connected_provider_id) == ids[1]
    assert Attempt.objects.get(provider_id=int(ids[0])).status == AttemptStatus.CANCELED
    assert list(LineSlot.objects.filter(released_at__isnull=True).values_list("provider_id", flat=True)) == [
        int(ids[1])
    ]
    step = wave_over(call, dial.index, "answered", 30)
    assert isinstance(step, Connect)


def test_no_answer_fails_over_and_then_offers_a_named_callback(helpline, providers):
    call = start().call
    plan = call.routing_plan
    step = plan.first_dial()
    seen = []
    while isinstance(step, Dial):
        ids = [t.id for t in step.targets]
        seen.append(ids)
        services.reserve_lines(call, ids)
        services.record_attempts(call, step.index, ids)
        step = wave_over(call, step.index, "no-answer", step.ring_timeout_s)
        call.refresh_from_db()
        assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()
    assert len(seen) >= 2 and seen[1] != seen[0]
    assert isinstance(step, CallbackOffer)
    callback = services.record_callback(call, step.provider_id, step.deadline, CALLER)
    assert decrypt_number(callback.encrypted_number) == CALLER
    assert services.record_callback(call, step.provider_id, step.deadline, CALLER).pk == callback.pk
    call.refresh_from_db()
    assert call.outcome == CallOutcome.CALLBACK and CallbackRequest.objects.count() == 1


def test_status_only_moves_forward_whatever_the_order(helpline, providers):
    events = ["ringing", "in-progress", "completed"]
    finals = set()
    # Every distinct ordering of the events, with a duplicated "ringing" and "completed" as Twilio may retry.
    for n, order in enumerate(sorted(set(itertools.permutations([*events, "ringing", "completed"])))):
        call = start(f"CA-order-{n}").call
        services.reserve_lines(call, [str(providers[0].pk)])
        for status in order:
            services.advance_call_status(call.call_sid, status, duration_s=42)
        call.refresh_from_db()
        finals.add((call.status, call.outcome, call.duration_s))
        assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()
    assert finals == {("completed", CallOutcome.ABANDONED, 42)}


def test_a_listing_number_never_reaches_a_provider(providers, db):
    from clearline.directory.demo import load_demo_facilities
    from clearline.directory.models import Facility

    load_demo_facilities()
    facility = Facility.objects.first()
    Helpline.objects.create(
        label="Listing",
        intent="rehabilitation",
        number="+12065550150",
        kind=HelplineKind.LISTING,
        facility=facility,
    )
    started = services.start_call(call_sid="CA-L", to_number="+12065550150", caller_number=CALLER)
    assert started.plan.kind == "listing"
    dialled_phones = {t.phone for d in started.plan.dials for t in d.targets}
    assert not dialled_phones & {p.phone for p in providers}
    assert {t.id for d in started.plan.dials for t in d.targets} <= {str(facility.pk)}
    assert Call.objects.get(call_sid="CA-L").number_kind == "listing"


def test_an_unknown_status_is_refused(helpline, providers):
    call = start().call
    with pytest.raises(services.TelephonyError):
        services.advance_call_status(call.call_sid, "exploded")
    call.refresh_from_db()
    assert call.status == "ringing"
    assert timezone.now() >= call.started_at


def test_first_rings_stay_equal_across_many_calls(helpline, providers):
    from collections import Counter

    first_rings: Counter[str] = Counter()
    for n in range(30):
        started = start(f"CA-share-{n}")
        for target in started.plan.first_dial().targets:
            first_rings[target.name] += 1
        services.advance_call_status(started.call.call_sid, "completed")
    # 30 calls, waves of 2 among 3 always-eligible providers: 20 first rings each.
    assert sorted(first_rings.values()) == [20, 20, 20]


def test_repeated_unanswered_offers_pause_a_provider_until_staff_resume_it(helpline, providers):
    target = providers[0]
    for n in range(3):
        call = start(f"CA-pause-{n}").call
        services.reserve_lines(call, [str(target.pk)])
        services.record_attempts(call, 2, [str(target.pk)])
        wave_over(call, 2, "no-answer", 13)
    target.refresh_from_db()
    assert target.auto_paused
    target.auto_paused = False  # staff resume it in the admin
    target.save()
    target.refresh_from_db()
    assert target.offers_counted_since is not None
    call = start("CA-pause-after").call
    services.record_attempts(call, 2, [str(target.pk)])
    wave_over(call, 2, "no-answer", 13)
    target.refresh_from_db()
    assert not target.auto_paused  # the old misses no longer count
