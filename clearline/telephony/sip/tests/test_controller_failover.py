"""Failover through the SIP call controller with real SIP (as ``test_controller_calls``): a wave nobody picks up is
cancelled at its ring time and the next wave rings; a provider at its line limit is not rung. A module of its own,
so its own controller: with the PyPI wheel's four calls at once, cancelled legs keep their pjsua slots for about 32
s (docs/sip.md, "Known limits"), and a call just after another module's cancelled wave would be turned away."""

from __future__ import annotations

from pathlib import Path

from clearline.providers.routing_settings import RoutingSettings
from clearline.routing import Dial
from clearline.telephony import services
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome, LineSlot
from clearline.telephony.sip.tests.callers import Trunk, wait_for
from clearline.telephony.sip.tests.conftest import HELPLINE
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
# When the caller presses its key in the greeting: late enough for the test to read the plan and start the trunk.
KEY_AT_MS = 1500


def test_a_wave_nobody_picks_up_is_cancelled_at_its_ring_time_and_the_next_wave_rings(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    RoutingSettings.objects.create(
        wave_size=1, ring_timeout_s=5, ring_budget_s=20, repeat_rounds=False, note="one at a time, 5 s each"
    )
    # The first wave rings from about 1.6 s to 6.6 s; "Now trying ..." plays; the second wave is answered and
    # its 1 pressed at about 10 s; the caller hangs up at 12.5 s.
    caller = call_helpline(tmp_path, controller_edge, trusted_port, [(KEY_AT_MS, "1")], hang_up_ms=12500)
    assert wait_for(lambda: the_call(sip_controller) is not None, timeout=KEY_AT_MS / 1000)
    call = the_call(sip_controller)
    assert call is not None
    waves = [s for s in call.routing_plan.steps if isinstance(s, Dial)]
    assert len(waves) >= 2, "the test needs a plan of two waves or more"
    silent = waves[0].targets[0].phone.lstrip("+")
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, silent=silent, person=r"[0-9]+") as trunk:
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
        dialled = trunk.dialled()
    assert dialled == [waves[0].targets[0].phone, waves[1].targets[0].phone]
    assert (tmp_path / "trunk" / "trunk-sip.log").read_text().count("CANCEL sip:") == 1
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    attempts = {
        a.step_index: a for a in read(sip_controller, lambda: list(Attempt.objects.filter(call=call)))
    }
    assert attempts[waves[0].index].status == AttemptStatus.NO_ANSWER
    assert attempts[waves[1].index].status == AttemptStatus.ACCEPTED
    assert call.outcome == CallOutcome.CONNECTED
    assert call.connected_provider_id == attempts[waves[1].index].provider_id


def test_a_provider_at_its_line_limit_is_not_rung_and_the_calls_own_lines_are_free_after_bye(
    sip_controller: Running,
    controller_edge: Edge,
    trusted_port: int,
    tmp_path: Path,
    providers,  # noqa: F811
) -> None:
    busy_provider = providers[0]  # one line, held by another call (on Twilio, say) for this whole call
    other = read(
        sip_controller,
        lambda: services.start_call(call_sid="CA-other", to_number=HELPLINE, caller_number=None).call,
    )
    read(sip_controller, lambda: services.reserve_lines(other, [str(busy_provider.pk)]))
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, person=r"[0-9]+") as trunk:
        caller = call_helpline(tmp_path, controller_edge, trusted_port, [(800, "1")], hang_up_ms=5000)
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        call = read(sip_controller, lambda: Call.objects.filter(call_sid__startswith="SIP").first())
        assert call is not None
        # As ``settled``, but the other call's line stays held: every leg over and this call's end applied.
        assert wait_for(
            lambda: (
                not sip_controller.controller.live  # type: ignore[attr-defined]
                and read(
                    sip_controller, lambda: Call.objects.filter(pk=call.pk, ended_at__isnull=False).exists()
                )
            )
        )
        dialled = trunk.dialled()
    assert busy_provider.phone not in dialled and dialled
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    assert call.outcome == CallOutcome.CONNECTED and call.ended_at is not None
    assert call.connected_provider_id != busy_provider.pk
    held = read(sip_controller, lambda: list(LineSlot.objects.held().values_list("call_id", "provider_id")))
    assert held == [(other.pk, busy_provider.pk)]  # the call's own lines went back at BYE; the other's stays
