"""Keys 9 and 0 while a later wave is announced ("Now trying ..."), through the signed webhooks.

The wave's line is held and its attempt recorded before the announcement plays; a caller who presses 9 or 0 there
reaches the free line, and that line goes back exactly once, with no trace of a provider rung who never was.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from clearline.providers.models import Provider
from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER
from clearline.telephony.models import Attempt, Call, CallOutcome, LineSlot
from clearline.telephony.tests.test_webhooks import Twilio, action_of, dialled, is_wave, parse, twilio_on

pytestmark = pytest.mark.django_db
__all__ = ["twilio_on"]  # the autouse fixture that turns the webhooks on


def second_wave(twilio: Twilio) -> tuple[ET.Element, list[Provider]]:
    """Greeting (no key), the first wave unanswered: the answer announcing the second wave, and whom it rings."""
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    first = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    assert is_wave(first) and first.find("Gather") is None  # the greeting named the first wave
    announced = parse(twilio.post(action_of(first, "Dial"), DialCallStatus="no-answer"))
    assert is_wave(announced)
    phones = dialled(announced)
    rung = list(Provider.objects.filter(phone__in=phones))
    assert rung and len(rung) == len(phones)
    return announced, rung


def spoken(root: ET.Element) -> str:
    return " ".join(s.text or "" for s in root.iter("Say"))


@pytest.mark.parametrize(
    ("digit", "number", "outcome", "said"),
    [
        ("9", CRISIS_NUMBER, CallOutcome.TRANSFERRED_CRISIS, "988"),
        ("0", FREE_HELPLINE_NUMBER, CallOutcome.TRANSFERRED_FREE, "SAMHSA National Helpline"),
    ],
)
def test_a_key_during_a_later_waves_announcement_reaches_the_free_line_and_gives_its_line_back_once(
    client, helpline, providers, digit, number, outcome, said
):
    twilio = Twilio(client)
    announced, rung = second_wave(twilio)
    call = Call.objects.get()
    gather = announced.find("Gather")
    assert gather is not None and gather.get("numDigits") == "1"
    assert all(provider.name in spoken(gather) for provider in rung)
    step = int(action_of(announced, "Dial").rsplit("step=", 1)[1])
    # Held before it is said (a provider may have been rung in an earlier wave too: that line went back then).
    held = LineSlot.objects.filter(call=call, released_at=None)
    assert sorted(held.values_list("provider_id", flat=True)) == sorted(p.pk for p in rung)
    slots = LineSlot.objects.filter(pk__in=list(held.values_list("pk", flat=True)))
    assert Attempt.objects.filter(call=call, step_index=step).count() == len(rung)
    earlier = list(Attempt.objects.exclude(step_index=step).values())

    transfer = parse(twilio.post(action_of(announced, "Gather"), Digits=digit))
    assert dialled(transfer) == [number]
    assert said in spoken(transfer)
    call.refresh_from_db()
    assert call.outcome == outcome
    assert [digit, "wave_announcement"] in call.key_presses  # what the keys claim is checked against
    released = dict(slots.values_list("pk", "released_at"))
    assert None not in released.values()
    # Nobody was rung in that wave: no attempt says so (reports and the rotation read attempts as offers).
    assert not Attempt.objects.filter(call=call, step_index=step).exists()
    assert list(Attempt.objects.exclude(step_index=step).values()) == earlier

    # Twilio retries the same request: the same answer, and nothing is released or recorded twice.
    assert parse(twilio.post(action_of(announced, "Gather"), Digits=digit)).find(".//Dial").text == number
    assert dict(slots.values_list("pk", "released_at")) == released
    assert not LineSlot.objects.filter(released_at__isnull=True).exists()
    assert not Attempt.objects.filter(call=call, step_index=step).exists()

    assert (
        twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="40").status_code == 204
    )
    assert Call.objects.get().outcome == outcome
    assert dict(slots.values_list("pk", "released_at")) == released


def test_with_no_key_the_announced_wave_rings_as_before(client, helpline, providers):
    twilio = Twilio(client)
    announced, rung = second_wave(twilio)
    call = Call.objects.get()
    # No key: Twilio falls through from the <Gather> to the <Dial>, which rings the announced providers.
    assert [child.tag for child in announced] == ["Gather", "Dial"]
    step = int(action_of(announced, "Dial").rsplit("step=", 1)[1])
    attempts = Attempt.objects.filter(call=call, step_index=step)
    assert sorted(a.provider_id for a in attempts) == sorted(p.pk for p in rung)
    urls = [number.get("url") for number in announced.iterfind("Dial/Number")]
    assert sorted(u.rsplit("attempt=", 1)[1] for u in urls) == sorted(str(a.pk) for a in attempts)
    assert LineSlot.objects.filter(call=call, released_at__isnull=True).count() == len(rung)

    root = parse(twilio.post(action_of(announced, "Dial"), DialCallStatus="no-answer"))
    while is_wave(root):
        root = parse(twilio.post(action_of(root, "Dial"), DialCallStatus="no-answer"))
    assert "call you back" in spoken(root)
    assert set(attempts.all().values_list("status", flat=True)) == {"no-answer"}
    assert not LineSlot.objects.filter(released_at__isnull=True).exists()
    assert Call.objects.get().outcome == CallOutcome.PENDING


def test_another_key_during_the_announcement_rings_the_wave_without_taking_a_second_line(
    client, helpline, providers
):
    twilio = Twilio(client)
    announced, rung = second_wave(twilio)
    before = (list(Attempt.objects.values()), list(LineSlot.objects.values()))

    ringing = parse(twilio.post(action_of(announced, "Gather"), Digits="5"))
    assert [child.tag for child in ringing] == ["Dial"]  # no second announcement, no prompt: it rings now
    assert ET.tostring(ringing.find("Dial")) == ET.tostring(
        announced.find("Dial")
    )  # same legs, same attempts
    assert sorted(dialled(ringing)) == sorted(p.phone for p in rung)
    assert (list(Attempt.objects.values()), list(LineSlot.objects.values())) == before
    assert Call.objects.get().outcome == CallOutcome.PENDING


def test_a_caller_who_hangs_up_while_a_wave_rings_is_offered_to_nobody_else_and_counts_against_no_provider(
    client, helpline, providers
):
    """Twilio's ``DialCallStatus=canceled``: the wave's lines go back, its attempts say the call ended while they
    rang (not an unanswered offer: no auto-pause count), and no later wave holds a line or records an offer."""
    twilio = Twilio(client)
    greeting = parse(twilio.post("/telephony/twilio/voice"))
    first = parse(twilio.post(action_of(greeting, "Gather"), Digits=""))
    call = Call.objects.get()
    rung = set(Attempt.objects.values_list("provider_id", flat=True))
    assert rung

    after = parse(twilio.post(action_of(first, "Dial"), DialCallStatus="canceled"))
    assert [v.tag for v in after] == ["Hangup"]
    assert set(Attempt.objects.values_list("provider_id", "status")) == {(p, "call-ended") for p in rung}
    assert not LineSlot.objects.filter(call=call, released_at=None).exists()
    assert not Provider.objects.filter(auto_paused=True).exists()
    # Twilio retries: the same answer, nothing more written.
    again = parse(twilio.post(action_of(first, "Dial"), DialCallStatus="canceled"))
    assert [v.tag for v in again] == ["Hangup"]
    assert Attempt.objects.count() == len(rung)
