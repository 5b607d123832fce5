"""Keys 9 and 0 while a wave's phones ring, through the SIP call controller with real SIP (as
``test_controller_calls``). A module of its own, so its own controller: with the PyPI wheel's four calls at once,
the legs a wave cancels keep their pjsua slots for a while, and a call just after would be turned away."""

from __future__ import annotations

from pathlib import Path

from clearline.providers.routing_settings import RoutingSettings
from clearline.routing import CRISIS_NUMBER
from clearline.telephony import disclosed, roster_inputs
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome
from clearline.telephony.sip.tests.callers import Trunk, wait_for
from clearline.telephony.sip.tests.phones import Edge
from clearline.telephony.sip.tests.running import (
    CONTROLLER_MARKS,
    Running,
    call_helpline,
    read,
    settled,
    the_call,
)
from clearline.telephony.tests.conftest import helpline, providers  # noqa: F401 - fixtures

pytestmark = CONTROLLER_MARKS


def test_a_9_while_the_providers_ring_cancels_every_leg_and_reaches_the_crisis_line(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path, settings
) -> None:
    """Where the keys work while phones ring (``CLEARLINE_KEYS_WHILE_RINGING``, so the keys claim says so): a
    wave of two rings with nobody picking up; the caller's 9 cancels each leg and the trunk is asked for the
    crisis line; no provider's offer counts as unanswered and no line stays held. (Two, not three: the wheel's
    four calls at once must hold the caller, both cancelled legs and the transfer, docs/sip.md.)"""
    settings.CLEARLINE_KEYS_WHILE_RINGING = True
    roster_inputs.forget()  # the policy is read once per roster
    RoutingSettings.objects.create(
        wave_size=2, ring_timeout_s=20, ring_budget_s=20, repeat_rounds=False, note="one long wave"
    )
    provider_phones = r"\+?1206555013[0-9]"
    try:
        with Trunk(tmp_path / "trunk", sip_controller.trunk_port, silent=provider_phones) as trunk:
            # Any key but 9 or 0 ends the greeting at 0.8 s; the wave rings from about 0.9 s; the 9 at 2.5 s.
            caller = call_helpline(tmp_path, controller_edge, trusted_port, [(800, "1"), (2500, "9")], 8000)
            ended = caller.wait()
            assert (ended.successful, ended.failed) == (1, 0), ended.errors
            call = the_call(sip_controller)
            assert call is not None
            assert wait_for(lambda: settled(sip_controller, call.call_sid))
            dialled = trunk.dialled()
    finally:
        roster_inputs.forget()
    assert len(dialled) == 3 and dialled[-1] == CRISIS_NUMBER
    assert (tmp_path / "trunk" / "trunk-sip.log").read_text().count("CANCEL sip:") == 2
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    assert call.outcome == CallOutcome.TRANSFERRED_CRISIS
    assert call.key_presses == [["9", "ringing"]]
    statuses = read(
        sip_controller, lambda: set(Attempt.objects.filter(call=call).values_list("status", flat=True))
    )
    assert statuses == {AttemptStatus.CALL_ENDED}
    keys = next(c for c in read(sip_controller, lambda: disclosed.spoken_claims(call)) if c.kind == "keys")
    assert "ringing" in keys.moments
