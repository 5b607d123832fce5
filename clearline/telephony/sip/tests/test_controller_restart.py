"""Stopping the controller (SIGTERM, as systemd's restart sends) while a call is bridged loses none of its events:
it hangs up both legs and waits until the caller's final status and the wave's end are applied, so the record
ends and the provider's line is free, with no worker needed. (A controller that dies, SIGKILL, cannot: its calls
stay open until the line-slot reaper frees their lines; docs/sip.md.) Its own module: the test stops the
module's controller.
"""

from __future__ import annotations

from pathlib import Path

from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome, LineSlot
from clearline.telephony.sip.tests.callers import Trunk, wait_for
from clearline.telephony.sip.tests.phones import Edge
from clearline.telephony.sip.tests.running import CONTROLLER_MARKS, Running, call_helpline, read, the_call
from clearline.telephony.tests.conftest import helpline, providers  # noqa: F401 - fixtures

pytestmark = CONTROLLER_MARKS


def _connected(running: Running) -> bool:
    call = the_call(running)
    return call is not None and call.outcome == CallOutcome.CONNECTED


def test_stopping_the_controller_mid_call_still_ends_the_call_in_the_records(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    controller = sip_controller.controller
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, person=r"[0-9]+"):
        caller = call_helpline(tmp_path, controller_edge, trusted_port, [(800, "1")], hang_up_ms=30000)
        assert wait_for(lambda: _connected(sip_controller), timeout=20), "the call was never bridged"
        controller.stop()  # type: ignore[attr-defined]
        assert wait_for(lambda: controller.endpoint is None, timeout=15)  # type: ignore[attr-defined]
        caller.wait()  # the controller's BYE ended it early: sipp counts it failed, which is not the point here
    call = read(sip_controller, lambda: Call.objects.get(call_sid__startswith="SIP"))
    assert call.ended_at is not None and call.status == "completed"
    assert not read(sip_controller, lambda: LineSlot.objects.held().exists())
    statuses = read(
        sip_controller, lambda: set(Attempt.objects.filter(call=call).values_list("status", flat=True))
    )
    assert AttemptStatus.RINGING not in statuses and AttemptStatus.ACCEPTED in statuses
