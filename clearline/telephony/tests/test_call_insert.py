"""A new call's record and its rotation credit are written together (``statements.insert_call``): the credit of the
first wave's providers exactly once, never for a repeated CallSid, never for a call that asks for a place first.
On PostgreSQL both go in one statement; on SQLite in two."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.routing import CallbackOffer, share_credit_changes
from clearline.telephony import services, statements
from clearline.telephony.models import Call, RotationCredit
from clearline.telephony.tests.conftest import CALLER, HELPLINE

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def credits() -> dict[int, float]:
    return {c.provider_id: round(c.credit, 9) for c in RotationCredit.objects.all()}


def expected_credit(call: Call) -> dict[int, float]:
    eligible = [str(p["id"]) for p in call.trace["providers"] if p["eligible"]]
    first = call.routing_plan.first_dial()
    assert first is not None
    changes = share_credit_changes(eligible, [t.id for t in first.targets])
    return {int(pid): round(change, 9) for pid, change in changes.items()}


def test_a_new_call_is_credited_with_its_record(helpline, providers):
    started = services.start_call(call_sid="CA" + "1" * 32, to_number=HELPLINE, caller_number=CALLER, now=NOW)
    assert started.created and started.call.pk == Call.objects.get().pk
    assert credits() == expected_credit(Call.objects.get())
    assert RotationCredit.objects.filter(period="2026-11").count() == len(providers)


def test_a_repeated_call_sid_adds_no_credit(helpline, providers):
    sid = "CA" + "2" * 32
    services.start_call(call_sid=sid, to_number=HELPLINE, caller_number=CALLER, now=NOW)
    before = credits()
    again = services.start_call(call_sid=sid, to_number=HELPLINE, caller_number=CALLER, now=NOW)
    assert not again.created
    assert credits() == before
    assert Call.objects.count() == 1


def test_credits_of_several_calls_add_up(helpline, providers):
    for n in range(3):
        services.start_call(call_sid=f"CA{n:032x}", to_number=HELPLINE, caller_number=CALLER, now=NOW)
    total: dict[int, float] = {}
    for call in Call.objects.all():
        for pid, change in expected_credit(call).items():
            total[pid] = total.get(pid, 0.0) + change
    assert credits() == pytest.approx(total, abs=1e-6)


def test_the_new_calls_plan_is_the_one_a_later_webhook_reads(helpline, providers):
    started = services.start_call(call_sid="CA" + "3" * 32, to_number=HELPLINE, caller_number=CALLER, now=NOW)
    stored = Call.objects.get(pk=started.call.pk)
    assert started.call.routing_plan == stored.routing_plan
    offers = [s for s in stored.routing_plan.steps if isinstance(s, CallbackOffer)]
    assert offers and all(
        o.open_hours is not None for o in offers
    )  # the deployment's terms, fixed at the start


def test_the_hand_written_insert_stores_what_the_orm_would(helpline, providers):
    started = services.start_call(call_sid="CA" + "4" * 32, to_number=HELPLINE, caller_number=CALLER, now=NOW)
    columns = [f.attname for f in Call._meta.concrete_fields if not f.primary_key and f.attname != "call_sid"]
    ours = Call.objects.filter(pk=started.call.pk).values(*columns).get()
    copy = Call(**{name: value for name, value in ours.items()}, call_sid="CA" + "5" * 32)
    copy.save()  # through the ORM
    assert Call.objects.filter(pk=copy.pk).values(*columns).get() == ours
    assert ours["started_at"] == NOW and ours["outcome"] == "pending" and ours["key_presses"] == []


def test_each_column_is_adapted_as_django_adapts_it(helpline, providers):
    from django.db import connection

    call = Call(
        call_sid="CA" + "6" * 32,
        number_kind="helpline",
        plan={"a": [1]},
        trace={},
        seed=2**40,
        started_at=NOW,
    )
    fields = statements._call_fields()
    django = [f.get_db_prep_save(f.pre_save(call, True), connection) for f in fields]
    ours = [adapt(getattr(call, name)) for name, adapt in statements._call_adapters(connection.vendor)]
    assert [type(v) for v in ours] == [type(v) for v in django]
    assert [getattr(v, "obj", v) for v in ours] == [getattr(v, "obj", v) for v in django]  # Jsonb holds .obj
