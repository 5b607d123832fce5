"""A missed callback deadline is reassigned by the routing core's rule (issue 11, item 4): the deadline job feeds
``routing.callback_successor`` with the providers' snapshots, the caller's consent and the call's own seed, so it
follows the order the offer was made in, only within what the caller agreed to, and only to a provider with room.
"""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.providers.routing_settings import RoutingSettings
from clearline.routing import CallbackOffer
from clearline.telephony import callback_deadlines, services
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus, RotationCredit
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_callback_capacity import fill
from clearline.telephony.tests.test_services import start

pytestmark = pytest.mark.django_db


def offer_of(call: Call) -> CallbackOffer:
    return next(s for s in call.routing_plan.steps if isinstance(s, CallbackOffer))


def promised(call: Call) -> CallbackRequest:
    offer = offer_of(call)
    callback = services.record_callback(call, offer.provider_id, offer.deadline, CALLER)
    assert callback is not None and str(callback.provider_id) == offer.provider_id
    return callback


def missed(callback: CallbackRequest) -> CallbackRequest:
    """Run the deadline job a minute after the request's deadline; the request as it is then."""
    callback_deadlines.enforce_callback_deadlines(callback.due_at + dt.timedelta(minutes=1))
    callback.refresh_from_db()
    return callback


# Several calls, so several seeds: among providers alike in every other way, the seed decides the order.
@pytest.mark.parametrize("call_sid", [f"CA-reassign-{n}" for n in range(8)])
def test_with_the_inputs_the_offer_had_reassignment_follows_the_offers_order(helpline, providers, call_sid):
    call = start(call_sid).call
    offer = offer_of(call)
    assert len(offer.provider_ids) == 3  # three providers alike in every way: the seed ordered them
    callback = promised(call)
    # Put the rotation back as it was when the offer was made (the offer's plan credited its first wave); the
    # other providers have no call and no callback, so the deadline job sees what the offer saw.
    RotationCredit.objects.all().delete()

    callback = missed(callback)
    assert callback.assignees == list(offer.provider_ids[:2]) and callback.reassignments == 1
    callback = missed(callback)
    assert callback.assignees == list(offer.provider_ids) and callback.reassignments == 2
    callback = missed(callback)  # everyone the caller agreed to has had it: the operators are told
    assert callback.assignees == list(offer.provider_ids) and callback.escalated_at is not None


def test_a_backup_without_room_is_passed_over_and_the_job_keeps_looking(helpline, providers):
    call = start().call
    offer = offer_of(call)
    callback = promised(call)
    RotationCredit.objects.all().delete()
    first, second, third = offer.provider_ids
    fill(second)  # one line, now spoken for by another caller's callback

    callback = missed(callback)
    assert callback.provider_id == int(third) and callback.assignees == [first, third]

    # The third misses too; the second is still full: nobody may take it now, the operators are told.
    callback = missed(callback)
    assert callback.provider_id == int(third) and callback.escalated_at is not None
    # The second returns its other callback: it has room again, and the job gives it the request.
    CallbackRequest.objects.exclude(pk=callback.pk).update(status=CallbackStatus.RETURNED)
    callback = missed(callback)
    assert callback.provider_id == int(second) and callback.assignees == [first, third, second]


def test_callbacks_per_line_of_the_settings_in_force_are_the_capacity(helpline, providers):
    RoutingSettings.objects.create(callback_max_per_line=2.0, note="two callbacks per line")
    call = start().call
    offer = offer_of(call)
    callback = promised(call)
    RotationCredit.objects.all().delete()
    first, second, third = offer.provider_ids
    fill(second)  # one of its two places (one line x 2.0)
    fill(third, 2)  # both of its places

    callback = missed(callback)
    assert callback.provider_id == int(second) and callback.assignees == [first, second]


def test_a_provider_the_caller_did_not_hear_named_never_gets_the_number(helpline, providers):
    outsider = providers[2]
    outsider.paused = True
    outsider.save()
    call = start().call
    offer = offer_of(call)
    assert str(outsider.pk) not in offer.provider_ids
    callback = promised(call)
    outsider.paused = False  # eligible again and idle, the only one with room: still not in the consent
    outsider.save()
    backup = next(p for p in offer.provider_ids if p != offer.provider_id)
    fill(backup)  # the one backup is full: nobody the caller agreed to can take it

    callback = missed(callback)
    assert callback.provider_id == int(offer.provider_id) and callback.reassignments == 0
    assert callback.escalated_at is not None
    assert callback_deadlines.choose_reassignment(callback, callback.due_at + dt.timedelta(minutes=2)) is None


def test_a_callers_typed_zip_prefix_reaches_the_backups_it_reached_in_the_offer(helpline, regional_providers):
    """A caller who typed a ZIP code in 980 is planned with Cedar (which serves 98052) compared on three digits;
    the reassignment compares the same way, so Cedar, a backup the caller heard, can take the request over."""
    alder, _birch, cedar = regional_providers
    alder.states = []  # Alder serves everywhere; Birch only Texas
    alder.save()
    cedar.lines = 2
    cedar.save()
    fill(str(cedar.pk))  # half loaded, so Alder, idle, is named first and Cedar is the backup
    start("CA-zip")
    call = services.place_call(
        call_sid="CA-zip", to_number=HELPLINE, caller_number=CALLER, language="en", zip3="980"
    ).call
    assert call.caller_zip3 == "980"
    offer = offer_of(call)
    assert offer.provider_ids == (str(alder.pk), str(cedar.pk))
    callback = promised(call)

    callback = missed(callback)
    assert callback.provider_id == cedar.pk and callback.assignees == [str(alder.pk), str(cedar.pk)]
