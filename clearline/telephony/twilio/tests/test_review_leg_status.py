"""A queue-shaped wave's leg status (``wave_leg_status``): one signature check, one CallSid check and one webhook
deadline for the whole request, and ``leg_reported``'s queries inside that deadline, not after it was cleared."""

from __future__ import annotations

import itertools
from unittest import mock

import pytest
from django.db import connection

from clearline.telephony import faults
from clearline.telephony.models import Attempt, AttemptStatus, Call
from clearline.telephony.tests.conftest import HELPLINE, helpline, providers  # noqa: F401 - fixtures
from clearline.telephony.tests.test_webhooks import Twilio, action_of, parse, twilio_on  # noqa: F401
from clearline.telephony.twilio import client as rest_client
from clearline.telephony.twilio import legs, signatures, webhooks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("helpline", "providers")]


@pytest.fixture
def queue_shaped(settings, monkeypatch):
    settings.CLEARLINE_TWILIO_WAVES = "queue"
    numbers = itertools.count(1)
    monkeypatch.setattr(rest_client, "create_call", lambda **_kwargs: f"CA{next(numbers):032x}")


def test_a_leg_status_is_checked_once_and_applied_with_leg_reported_under_the_same_deadline(
    client, queue_shaped
):
    caller = Twilio(client)
    greeting = parse(caller.post("/telephony/twilio/voice"))
    assert parse(caller.post(action_of(greeting, "Gather"), Digits="")).find("Enqueue") is not None
    attempt = Attempt.objects.filter(call=Call.objects.get()).exclude(leg_sid="").order_by("pk").first()
    assert attempt is not None and attempt.status == AttemptStatus.RINGING

    deadlines_seen: list[float | None] = []
    reported = legs.leg_reported

    def leg_reported(*args: object) -> None:
        deadlines_seen.append(faults.time_left())
        reported(*args)  # type: ignore[arg-type]

    leg = Twilio(client, call_sid=attempt.leg_sid, caller=HELPLINE)
    with (
        mock.patch.object(
            signatures, "is_valid_twilio_request", wraps=signatures.is_valid_twilio_request
        ) as signature_checks,
        mock.patch.object(webhooks, "is_call_sid", wraps=webhooks.is_call_sid) as sid_checks,
        mock.patch.object(webhooks, "webhook_deadline", wraps=webhooks.webhook_deadline) as deadlines,
        mock.patch.object(legs, "leg_reported", side_effect=leg_reported) as noted,
    ):
        response = leg.post(
            f"/telephony/twilio/wave-leg-status?attempt={attempt.pk}",
            CallStatus="busy",
            Direction="outbound-api",
        )
    assert response.status_code == 204
    assert signature_checks.call_count == 1
    assert sid_checks.call_count == 1  # the CallSid field; no ?call= in a leg's URL
    assert deadlines.call_count == 1
    noted.assert_called_once_with(attempt.pk, attempt.leg_sid, "busy")
    if connection.vendor == "postgresql":  # the deadline exists on PostgreSQL only
        assert deadlines_seen[0] is not None and deadlines_seen[0] > 0
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.BUSY  # the status itself was applied


def test_a_caller_status_callback_is_still_checked_and_applied(client, queue_shaped):
    caller = Twilio(client)
    caller.post("/telephony/twilio/voice")
    assert caller.post("/telephony/twilio/status", sign=False, CallStatus="completed").status_code == 403
    with mock.patch.object(
        signatures, "is_valid_twilio_request", wraps=signatures.is_valid_twilio_request
    ) as signature_checks:
        response = caller.post("/telephony/twilio/status", CallStatus="completed", CallDuration="30")
    assert response.status_code == 204 and signature_checks.call_count == 1
    call = Call.objects.get()
    assert call.status == "completed" and call.duration_s == 30
