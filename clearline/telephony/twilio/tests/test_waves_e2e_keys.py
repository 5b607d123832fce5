"""Keys 9 and 0 while providers' phones ring, in Twilio's queue shape, end to end over HTTP (the stand-in for
Twilio of ``test_waves_e2e``): the hold loop listens for one key only where the policy says the keys work then
(``CLEARLINE_KEYS_WHILE_RINGING``), a 9 or 0 hangs up every leg and transfers the caller, and the keys claim the
caller was told holds for the call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, Dial
from clearline.telephony import roster_inputs
from clearline.telephony.claim_checks import CheckResult, check_call, claims_for
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome, LineSlot
from clearline.telephony.tests.conftest import helpline, providers  # noqa: F401 - fixtures
from clearline.telephony.twilio.tests.test_waves_e2e import (  # noqa: F401 - fixtures
    Caller,
    Leg,
    StandIn,
    queue_shaped,
    settle,
    waves_of,
)
from clearline.telephony.twilio.tests.twiml_helpers import dialled

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("helpline", "providers")]
QUEUE_SID = "QU" + "2" * 32


@pytest.fixture
def keys_while_ringing(settings) -> Iterator[None]:
    settings.CLEARLINE_KEYS_WHILE_RINGING = True
    roster_inputs.forget()  # the policy is read once per roster
    yield
    roster_inputs.forget()


def ringing(queue_shaped) -> tuple[Caller, StandIn, Call, dict[str, str]]:  # noqa: F811
    """A caller holding in the queue while the first wave's legs ring: the caller, the stand-in, the call and
    the ``<Enqueue>``'s attributes."""
    stand_in = queue_shaped(lambda leg, stand_in: "ring")
    caller = Caller(stand_in)
    greeting = caller.post("/telephony/twilio/voice")
    enqueue = caller.post(greeting.find("Gather").get("action"), Digits="").find("Enqueue")
    call = Call.objects.get()
    settle(
        stand_in,
        lambda: len(stand_in.legs) == len(waves_of(call)[0]) and all(leg.sid for leg in stand_in.legs),
    )
    return caller, stand_in, call, dict(enqueue.attrib)


@pytest.mark.parametrize(
    ("digit", "number", "outcome"),
    [
        ("9", CRISIS_NUMBER, CallOutcome.TRANSFERRED_CRISIS),
        ("0", FREE_HELPLINE_NUMBER, CallOutcome.TRANSFERRED_FREE),
    ],
)
def test_a_9_or_0_while_phones_ring_hangs_up_every_leg_and_transfers_the_caller(
    queue_shaped,  # noqa: F811
    keys_while_ringing,
    digit,
    number,
    outcome,
):
    caller, stand_in, call, enqueue = ringing(queue_shaped)
    hold = caller.post(enqueue["waitUrl"], QueueSid=QUEUE_SID, QueuePosition="1", QueueTime="1")
    assert [v.tag for v in hold] == ["Gather"]
    gather = hold.find("Gather")
    assert gather.get("numDigits") == "1" and "/twilio/wave-hold-keys" in gather.get("action")

    other = caller.post(gather.get("action"), Digits="5")  # not a line: the hold goes on, nothing changes
    assert [v.tag for v in other] == ["Gather"]
    assert Attempt.objects.filter(call=call, status=AttemptStatus.RINGING).count() == len(stand_in.legs)

    left = caller.post(gather.get("action"), Digits=digit)
    assert [v.tag for v in left] == ["Leave"]
    again = caller.post(
        gather.get("action"), Digits=digit
    )  # Twilio retried it: the same, nothing written twice
    assert [v.tag for v in again] == ["Leave"]
    transfer = caller.post(enqueue["action"], QueueResult="leave", QueueSid=QUEUE_SID, QueueTime="9")
    assert dialled(transfer) == [number]

    settle(stand_in, lambda: {leg.sid for leg in stand_in.legs} <= set(stand_in.hung_up))
    call.refresh_from_db()
    assert call.outcome == outcome
    assert call.key_presses == [[digit, "ringing"]]  # what the keys claim is checked against
    assert call.connected_provider_id is None
    assert not LineSlot.objects.filter(call=call, released_at__isnull=True).exists()
    first_wave = next(s.index for s in call.routing_plan.steps if isinstance(s, Dial))
    assert set(Attempt.objects.values_list("step_index", flat=True)) == {first_wave}  # no other wave rang
    # Rung, but nobody left an offer unanswered (a leg's own "canceled" after its hang-up keeps that reason).
    assert set(Attempt.objects.values_list("status", flat=True)) == {AttemptStatus.CALL_ENDED}
    caller.hang_up()
    call.refresh_from_db()
    keys = next(c for c in claims_for(call) if c.kind == "keys")
    assert "ringing" in keys.moments  # the caller was told the keys work now
    assert check_call(call) is CheckResult.KEPT


def test_a_provider_pressing_1_after_the_callers_9_is_hung_up_not_bridged(queue_shaped, keys_while_ringing):  # noqa: F811
    caller, stand_in, call, enqueue = ringing(queue_shaped)
    hold = caller.post(enqueue["waitUrl"], QueueSid=QUEUE_SID)
    assert [v.tag for v in caller.post(hold.find("Gather").get("action"), Digits="9")] == ["Leave"]
    leg = stand_in.legs[0]
    attempt = Attempt.objects.get(leg_sid=leg.sid)
    late = stand_in.leg_post(leg, f"/telephony/twilio/whisper/accept?attempt={attempt.pk}", Digits="1")
    assert late is not None and [v.tag for v in late] == ["Hangup"]
    call.refresh_from_db()
    assert call.connected_provider_id is None and call.outcome == CallOutcome.TRANSFERRED_CRISIS


def test_a_key_after_a_provider_accepted_changes_nothing(queue_shaped, keys_while_ringing):  # noqa: F811
    caller, stand_in, call, enqueue = ringing(queue_shaped)
    hold = caller.post(enqueue["waitUrl"], QueueSid=QUEUE_SID)
    leg = stand_in.legs[0]
    attempt = Attempt.objects.get(leg_sid=leg.sid)
    won = stand_in.leg_post(leg, f"/telephony/twilio/whisper/accept?attempt={attempt.pk}", Digits="1")
    assert won is not None and won.find("Dial/Queue") is not None
    after = caller.post(hold.find("Gather").get("action"), Digits="9")
    assert [v.tag for v in after] == ["Gather"]  # Twilio is taking the caller to the provider
    call.refresh_from_db()
    assert call.outcome == CallOutcome.CONNECTED and call.key_presses == []


def test_without_the_setting_the_hold_loop_hears_no_key_and_the_claim_says_so(queue_shaped):  # noqa: F811
    caller, _stand_in, call, enqueue = ringing(queue_shaped)
    hold = caller.post(enqueue["waitUrl"], QueueSid=QUEUE_SID)
    assert [v.tag for v in hold] == ["Pause"]
    keys = next(c for c in claims_for(call) if c.kind == "keys")
    assert "ringing" not in keys.moments
