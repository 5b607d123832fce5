"""Promises are checked when given (issue 11): pressing 1 re-checks the provider's room for another callback.

Capacity is the routing core's rule (``room_for_a_callback``, the test ``callback_order`` applies): calls in
progress plus open callbacks below ``lines x callback_max_per_line``. The plan was made minutes earlier; by the
time the caller presses 1 other callers may have taken every place. Then the request goes to the first backup the
offer named that still has room, and the confirmation names that provider; when none has, the caller is told so
and transferred to the free helpline, and nothing is stored.

The PostgreSQL test presses 1 for 40 callers at once against one provider with 2 lines: the provider's row lock
serialises the count and the insert, so no provider ever has more open callbacks than its places.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import FREE_HELPLINE_NUMBER, CallbackOffer
from clearline.telephony import services
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus, CallOutcome
from clearline.telephony.tests.conftest import HELPLINE
from clearline.telephony.tests.test_webhooks import Twilio, action_of, is_wave, parse, twilio_on  # noqa: F401 (autouse fixture)

CALLERS = 40
LINES = 2


def offer_of(call: Call) -> CallbackOffer:
    return next(s for s in call.routing_plan.steps if isinstance(s, CallbackOffer))


def to_the_offer(client) -> tuple[Twilio, str]:
    """A whole call up to "press 1 for a callback": every wave unanswered. The callback action URL."""
    twilio = Twilio(client)
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    root = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    while is_wave(root):
        root = parse(twilio.post(action_of(root, "Dial"), DialCallStatus="no-answer"))
    assert "call you back" in " ".join(s.text for s in root.iter("Say"))
    return twilio, action_of(root, "Gather")


def fill(provider_id: str, n: int = 1) -> None:
    """Give the provider ``n`` open callbacks of other calls (one place each), due long after any test's clock
    (one past its deadline would count late in the provider's callback record)."""
    for i in range(n):
        other = services.start_call(
            call_sid=f"CA-other-{provider_id}-{i}", to_number=HELPLINE, caller_number="+12065550188"
        ).call
        CallbackRequest.objects.create(
            call=other,
            provider_id=int(provider_id),
            due_at=timezone.now() + dt.timedelta(hours=6),
            encrypted_number="",
            assignees=[provider_id],
        )


def spoken(root) -> str:
    return " ".join(s.text or "" for s in root.iter("Say"))


@pytest.mark.django_db
def test_a_full_provider_at_acceptance_passes_the_promise_to_the_first_backup_with_room(
    client, helpline, providers
):
    twilio, callback_url = to_the_offer(client)
    call = Call.objects.get(call_sid=twilio.call_sid)
    offer = offer_of(call)
    assert len(offer.backups) >= 2
    first_backup, second_backup = offer.backups[0], offer.backups[1]
    # Since the plan was made, others took the named provider's and the first backup's only place.
    fill(offer.provider_id)
    fill(first_backup.id)

    confirmed = parse(twilio.post(callback_url, Digits="1"))

    request = CallbackRequest.objects.get(call=call)
    assert str(request.provider_id) == second_backup.id
    assert request.assignees == [second_backup.id]
    said = spoken(confirmed)
    assert f"{second_backup.name} will call you back" in said
    assert offer.provider_name not in said
    # The consent stored is what the caller heard: the offer naming the first provider and its backups.
    assert offer.provider_name in request.consent["text"]
    assert request.consent["provider_ids"] == list(offer.provider_ids)
    assert Call.objects.get(pk=call.pk).outcome == CallOutcome.CALLBACK
    # Pressing 1 again (Twilio's retry) gives the same answer and stores nothing more.
    again = parse(twilio.post(callback_url, Digits="1"))
    assert spoken(again) == said
    assert CallbackRequest.objects.filter(call=call).count() == 1


@pytest.mark.django_db
def test_nobody_with_room_at_acceptance_means_the_free_helpline_and_nothing_stored(
    client, helpline, providers
):
    twilio, callback_url = to_the_offer(client)
    call = Call.objects.get(call_sid=twilio.call_sid)
    for provider_id in offer_of(call).provider_ids:
        fill(provider_id)

    answer = parse(twilio.post(callback_url, Digits="1"))

    assert not CallbackRequest.objects.filter(call=call).exists()
    said = spoken(answer)
    assert "call you back" not in said
    assert "right now" in said and "SAMHSA National Helpline" in said
    dial = answer.find(".//Dial")
    assert dial is not None and (dial.text or "").strip() == FREE_HELPLINE_NUMBER
    assert Call.objects.get(pk=call.pk).outcome == CallOutcome.TRANSFERRED_FREE

    # Twilio retries the webhook after a place came free: the same answer, and still nothing stored.
    CallbackRequest.objects.update(status=CallbackStatus.RETURNED)
    again = parse(twilio.post(callback_url, Digits="1"))
    assert spoken(again) == said and not CallbackRequest.objects.filter(call=call).exists()


@pytest.mark.django_db
def test_the_named_provider_with_room_keeps_the_promise(client, helpline, providers):
    twilio, callback_url = to_the_offer(client)
    call = Call.objects.get(call_sid=twilio.call_sid)
    offer = offer_of(call)
    confirmed = parse(twilio.post(callback_url, Digits="1"))
    request = CallbackRequest.objects.get(call=call)
    assert str(request.provider_id) == offer.provider_id and request.assignees == [offer.provider_id]
    assert f"{offer.provider_name} will call you back" in spoken(confirmed)


def _press_1(call_id: int, provider_id: str, barrier: threading.Barrier) -> str | None:
    try:
        call = Call.objects.get(pk=call_id)
        offer = offer_of(call)
        barrier.wait(timeout=60)
        callback = services.record_callback(call, provider_id, offer.deadline, "+12065550199")
        return None if callback is None else str(callback.provider_id)
    finally:
        connection.close()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_40_callers_pressing_1_at_once_never_overbook_a_provider(helpline, providers):
    named = providers[0]
    for provider in providers:
        provider.lines = LINES if provider is named else 1
        provider.save(update_fields=["lines"])
    per_line = current_routing_settings().to_policy("1").callback_max_per_line
    places = {str(p.pk): int(p.lines * per_line) for p in providers}
    calls = [
        services.start_call(
            call_sid=f"CA-press-1-{n:03d}", to_number=HELPLINE, caller_number="+12065550199"
        ).call
        for n in range(CALLERS)
    ]
    barrier = threading.Barrier(CALLERS)

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        given = list(pool.map(lambda c: _press_1(c.pk, str(named.pk), barrier), calls))

    open_by_provider = dict(
        CallbackRequest.objects.filter(status=CallbackStatus.OPEN)
        .values_list("provider_id")
        .annotate(n=Count("id"))
        .values_list("provider_id", "n")
    )
    assert open_by_provider.get(named.pk, 0) == places[str(named.pk)], open_by_provider
    for provider_id, n in open_by_provider.items():
        assert n <= places[str(provider_id)], (provider_id, n, places)
    stored = [g for g in given if g is not None]
    assert len(stored) == CallbackRequest.objects.count() <= sum(places.values())
    # Everyone else was told nobody could call back and sent to the free helpline.
    refused = [c.pk for c, g in zip(calls, given, strict=True) if g is None]
    assert len(refused) == CALLERS - len(stored)
    assert set(Call.objects.filter(pk__in=refused).values_list("outcome", flat=True)) == {
        CallOutcome.TRANSFERRED_FREE
    }
