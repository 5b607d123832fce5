"""The call controller's settings (docs/configuration.md, "Self-hosted SIP"), read and checked in ``settings.py``
like every other: a value that does not parse refuses to start. Tests pass overrides instead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class ControllerConfig:
    host: str  # the address SIP and RTP bind to, and that the SDP names (the one the trunk can reach)
    port: int  # SIP over UDP: the port of the controller's URI in CLEARLINE_SIP_CONTROLLERS
    rtp_port: int  # the first RTP port (pjsua takes two per call from here up)
    trunk: str | None  # host:port for E.164 legs
    prompts_dir: Path
    flow_threads: int  # threads running call-flow events (the database work), so no call waits on another's
    max_calls: int  # pjsua's maxCalls; capped by the build's PJSUA_MAX_CALLS (capacity.py)
    # Slots kept free for a caller's own wave beyond their leg: a caller is taken only with 1 + this many free.
    reserve_legs: int = 2


def controller_config(**overrides: Any) -> ControllerConfig:
    values: dict[str, Any] = {
        "host": settings.CLEARLINE_SIP_CONTROLLER_IP,
        "port": settings.CLEARLINE_SIP_CONTROLLER_PORT,
        "rtp_port": settings.CLEARLINE_SIP_RTP_PORT,
        "trunk": settings.CLEARLINE_SIP_TRUNK,
        "prompts_dir": Path(settings.CLEARLINE_SIP_PROMPTS_DIR),
        "flow_threads": settings.CLEARLINE_SIP_FLOW_THREADS,
        "max_calls": settings.CLEARLINE_SIP_MAX_CALLS,
        "reserve_legs": settings.CLEARLINE_ROUTING_WAVE_SIZE,
    }
    values.update(overrides)
    return ControllerConfig(**values)
