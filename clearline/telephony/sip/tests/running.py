"""What the modules of real-SIP call tests share: their marks, the running controller (``conftest.py`` starts it,
pjsua2 in a thread of the test process so it sees the test database, behind its own Kamailio, once per module)
and the helpers that place a call and read the records.

The controller's flow jobs and the test's own reads of the database take turns (``flow_lock``): the test database
is SQLite in memory, shared between threads, where a read and a write at once fail instead of waiting.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from clearline.telephony.models import Call, LineSlot
from clearline.telephony.sip import prompts
from clearline.telephony.sip.tests.callers import Caller, have_dtmf_captures
from clearline.telephony.sip.tests.phones import Edge

try:
    import pjsua2  # noqa: F401
except ImportError:  # pragma: no cover - the wheel is in requirements.lock
    PJSUA2 = False
else:
    PJSUA2 = True

# Every module of controller calls carries these (``pytestmark = CONTROLLER_MARKS``).
CONTROLLER_MARKS = [
    pytest.mark.sip,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("helpline", "providers"),
    pytest.mark.skipif(not PJSUA2, reason="pjsua2-python is not installed (requirements.lock)"),
    pytest.mark.skipif(
        not (prompts.ESPEAK and prompts.SOX and have_dtmf_captures()),
        reason="espeak-ng, sox or sipp's DTMF captures missing: apt-get install espeak-ng sox sip-tester",
    ),
]


class Running:
    def __init__(self, controller: object, trunk_port: int, lock: threading.Lock) -> None:
        self.controller, self.trunk_port, self.lock = controller, trunk_port, lock


def call_helpline(
    tmp_path: Path,
    edge: Edge,
    trusted_port: int,
    keys: list[tuple[int, str]],
    hang_up_ms: int,
    calls: int = 1,
) -> Caller:
    from clearline.telephony.sip.tests.conftest import HELPLINE

    return Caller(
        tmp_path, edge.port, HELPLINE, source_port=trusted_port, keys=keys, hang_up_ms=hang_up_ms, calls=calls
    )


def read(running: Running, query):  # type: ignore[no-untyped-def]
    with running.lock:
        return query()


def the_call(running: Running) -> Call | None:
    return read(running, lambda: Call.objects.filter(call_sid__startswith="SIP").first())


def settled(running: Running, call_sid: str) -> bool:
    """Every leg is over, the caller's final status is applied (the call has an end) and no line is held."""
    if running.controller.live:  # type: ignore[attr-defined]
        return False
    return read(
        running,
        lambda: (
            Call.objects.filter(call_sid=call_sid, ended_at__isnull=False).exists()
            and not LineSlot.objects.held().exists()
        ),
    )
