"""The call controller's settings (docs/configuration.md, "Self-hosted SIP").

Read from Django's settings when they define them, else from the environment (with ``lib.env``'s rules: a value
that does not parse refuses to start), so the controller needs nothing in ``settings.py`` beyond what the edge
already reads there (``CLEARLINE_SIP_TRUNK``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from clearline.lib.env import env_int, env_str


@dataclass(frozen=True)
class ControllerConfig:
    host: str  # the address SIP and RTP bind to, and that the SDP names (the one the trunk can reach)
    port: int  # SIP over UDP: the port of the controller's URI in CLEARLINE_SIP_CONTROLLERS
    rtp_port: int  # the first RTP port (pjsua takes two per call from here up)
    trunk: str | None  # host:port for E.164 legs
    prompts_dir: Path
    flow_threads: int  # threads running call-flow events (the database work), so no call waits on another's
    max_calls: int


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def controller_config(**overrides: Any) -> ControllerConfig:
    host = _setting("CLEARLINE_SIP_CONTROLLER_IP", env_str("CLEARLINE_SIP_CONTROLLER_IP", "127.0.0.1"))
    try:
        ipaddress.ip_address(host)
    except ValueError as error:
        raise ImproperlyConfigured(f"CLEARLINE_SIP_CONTROLLER_IP={host!r} is not an IP address") from error
    folder = _setting("CLEARLINE_SIP_PROMPTS_DIR", env_str("CLEARLINE_SIP_PROMPTS_DIR", ""))
    values: dict[str, Any] = {
        "host": host,
        "port": _setting(
            "CLEARLINE_SIP_CONTROLLER_PORT",
            env_int("CLEARLINE_SIP_CONTROLLER_PORT", 5090, minimum=1, maximum=65535),
        ),
        "rtp_port": _setting(
            "CLEARLINE_SIP_RTP_PORT", env_int("CLEARLINE_SIP_RTP_PORT", 20000, minimum=1024, maximum=65000)
        ),
        "trunk": getattr(settings, "CLEARLINE_SIP_TRUNK", None),
        "prompts_dir": Path(folder) if folder else Path(settings.VAR_DIR) / "sip" / "prompts",
        "flow_threads": _setting(
            "CLEARLINE_SIP_FLOW_THREADS", env_int("CLEARLINE_SIP_FLOW_THREADS", 8, minimum=1, maximum=64)
        ),
        "max_calls": _setting(
            # 4: what the pjsua2-python wheel holds at once, whatever more is asked (docs/sip.md, "Known limits").
            "CLEARLINE_SIP_MAX_CALLS",
            env_int("CLEARLINE_SIP_MAX_CALLS", 4, minimum=1, maximum=1000),
        ),
    }
    values.update(overrides)
    return ControllerConfig(**values)
