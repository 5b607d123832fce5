"""A controller holds as many calls as pjsua's slots allow (``capacity.py``): a caller is taken only while their
leg and a wave's fit beside what the calls already there may still ring. The next caller gets 486 and Kamailio
sends the call on at once: to another controller, or, with this single one, to the fallback. With the PyPI
wheel's 4 slots and waves of 2, that is one call per controller process (docs/sip.md, "Calls per controller").
"""

from __future__ import annotations

from pathlib import Path

from clearline.telephony.models import Call
from clearline.telephony.sip.tests.callers import wait_for
from clearline.telephony.sip.tests.phones import Edge
from clearline.telephony.sip.tests.running import CONTROLLER_MARKS, Running, call_helpline, read, settled
from clearline.telephony.tests.conftest import helpline, providers  # noqa: F401 - fixtures

pytestmark = CONTROLLER_MARKS


def test_a_full_controller_turns_the_next_caller_away_and_the_edge_sends_them_on(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    controller = sip_controller.controller
    assert controller.slots.limit == 4  # type: ignore[attr-defined] # the fixture's max_calls
    assert controller.config.reserve_legs == 2  # type: ignore[attr-defined] # a wave of 2
    # Two calls a second apart, each staying 5 s in the greeting (no key): the second arrives while the first
    # holds 1 slot and may still ring a wave of 2: 1 + 2, plus 1 + 2 for the second, is more than 4.
    callers = call_helpline(tmp_path, controller_edge, trusted_port, [], hang_up_ms=5000, calls=2)
    ended = callers.wait()
    assert (ended.successful, ended.failed) == (2, 0), (
        ended.errors
    )  # one by the controller, one by the fallback
    calls = read(sip_controller, lambda: list(Call.objects.filter(call_sid__startswith="SIP")))
    assert len(calls) == 1
    assert "answered 486" in controller_edge.log_text()
    assert wait_for(lambda: settled(sip_controller, calls[0].call_sid), timeout=15)
