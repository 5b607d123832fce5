"""Continuity on real calls: with ``continuity_days`` above 0 in the routing settings in force, a caller whose last
answered call (same caller HMAC) is within that many days goes first to the provider who answered it.

The routing engine has honoured ``CallContext.previous_provider_id`` all along (routing's own tests); these tests
check that ``start_call`` fills it in from the database, and that it reads nothing more while continuity is off.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearline.providers.models import RoutingSettings
from clearline.telephony import services
from clearline.telephony.models import Call
from clearline.telephony.tests.conftest import CALLER, HELPLINE

pytestmark = pytest.mark.django_db

OTHER_CALLER = "+12065550178"


def continuity(days: int) -> RoutingSettings:
    version = RoutingSettings(continuity_days=days, note=f"continuity {days} days")
    version.save()
    return version


def start(call_sid: str, caller: str | None = CALLER) -> Call:
    return services.start_call(call_sid=call_sid, to_number=HELPLINE, caller_number=caller).call


def answered_call(call_sid: str = "CA0001", caller: str | None = CALLER) -> tuple[Call, str]:
    """A call whose first wave's second provider pressed 1, then the call ended; returns it and that provider.

    The rotation then owes the next first ring to the provider left out of that wave, so without continuity the
    next call starts with someone else."""
    call = start(call_sid, caller)
    dial = call.routing_plan.first_dial()
    assert dial is not None and len(dial.targets) == 2
    ids = [t.id for t in dial.targets]
    services.ring_wave(call, dial.index, ids)
    assert services.accept_attempt(call, dial.index, ids[1])
    services.advance_call_status(call_sid, "completed", duration_s=120)
    return call, ids[1]


def lookups(queries: CaptureQueriesContext) -> list[str]:
    """The continuity look-ups among the statements run: reads of calls by caller HMAC."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and "telephony_call" in q["sql"]
        and "caller_hmac" in q["sql"]
    ]


def test_a_repeat_caller_within_the_window_goes_first_to_the_provider_who_answered_last(helpline, providers):
    continuity(7)
    _, answered_by = answered_call()
    again = start("CA0002")
    assert again.trace["continuity"] == answered_by
    assert again.trace["order"][0] == answered_by
    dial = again.routing_plan.first_dial()
    assert dial is not None and answered_by in [t.id for t in dial.targets]
    # Another caller is not affected: the rotation's next provider comes first.
    stranger = start("CA0003", OTHER_CALLER)
    assert stranger.trace["continuity"] is None


def test_the_latest_answered_call_decides(helpline, providers):
    continuity(7)
    _, first = answered_call("CA0001")
    _, second = answered_call("CA0002")
    assert first != second  # the rotation moved on
    assert start("CA0003").trace["continuity"] == second


def test_outside_the_window_the_rotation_decides(helpline, providers):
    continuity(7)
    _, answered_by = answered_call()
    Call.objects.filter(call_sid="CA0001").update(
        answered_at=timezone.now() - dt.timedelta(days=7, minutes=1)
    )
    again = start("CA0002")
    assert again.trace["continuity"] is None
    assert again.trace["order"][0] != answered_by


def test_with_continuity_at_0_the_rotation_decides_and_nothing_more_is_read(helpline, providers):
    continuity(0)
    _, answered_by = answered_call()
    with CaptureQueriesContext(connection) as queries:
        again = start("CA0002")
    assert again.trace["continuity"] is None
    assert again.trace["order"][0] != answered_by
    assert lookups(queries) == []


def test_by_default_continuity_is_off(helpline, providers):
    _, answered_by = answered_call()
    assert RoutingSettings.objects.current() is None
    again = start("CA0002")
    assert again.trace["continuity"] is None and again.trace["order"][0] != answered_by


def test_with_continuity_on_a_known_caller_costs_one_read_and_a_withheld_number_none(helpline, providers):
    continuity(7)
    answered_call()
    start("CA0002")  # the roster is cached from here on, as on a busy line
    with CaptureQueriesContext(connection) as queries:
        start("CA0003")
    assert len(lookups(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        hidden = start("CA0004", caller=None)
    assert lookups(queries) == [] and hidden.trace["continuity"] is None


def test_a_previous_provider_that_is_not_eligible_now_is_not_rung_first(helpline, providers):
    continuity(7)
    _, answered_by = answered_call()
    provider = next(p for p in providers if str(p.pk) == answered_by)
    provider.paused = True
    provider.save()
    again = start("CA0002")
    assert again.trace["continuity"] is None
    assert answered_by not in again.trace["order"]


def test_through_the_twilio_voice_webhook(client, settings, helpline, providers):
    from clearline.telephony.tests.test_webhooks import ACCOUNT, TOKEN, Twilio

    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.CLEARLINE_PUBLIC_URL = (
        ACCOUNT,
        TOKEN,
        "",
    )
    continuity(30)
    _, answered_by = answered_call()
    response = Twilio(client, call_sid="CA" + "2" * 32).post("/telephony/twilio/voice")
    assert response.status_code == 200
    call = Call.objects.get(call_sid="CA" + "2" * 32)
    assert call.trace["continuity"] == answered_by
