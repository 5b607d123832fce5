"""``clearline sip_controller``: the SIP call controller (docs/sip.md), a long-running process.

Answers the calls Kamailio's edge hands it (its URI is in ``CLEARLINE_SIP_CONTROLLERS``), runs each through the
call flow (``telephony/flow.py``), rings providers through the trunk (``CLEARLINE_SIP_TRUNK``). SIP and RTP bind
to ``CLEARLINE_SIP_CONTROLLER_IP`` (default 127.0.0.1); SIGTERM or Ctrl-C ends every call and stops.
"""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clearline.telephony.sip.config import controller_config


class Command(BaseCommand):
    help = (
        "Run the SIP call controller (pjsua2) that plays Clearline's call flow to calls from Kamailio's edge."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, help="SIP port (default CLEARLINE_SIP_CONTROLLER_PORT, 5090)")
        parser.add_argument("--rtp-port", type=int, help="first RTP port (default CLEARLINE_SIP_RTP_PORT)")
        parser.add_argument(
            "--ip", help="address to bind SIP and RTP to (default CLEARLINE_SIP_CONTROLLER_IP)"
        )
        parser.add_argument("--trunk", help="host:port for E.164 legs (default CLEARLINE_SIP_TRUNK)")

    def handle(self, *args: Any, **options: Any) -> None:
        from clearline.telephony.sip.controller import Controller  # pjsua2: only when the controller runs

        overrides = {
            name: options[option]
            for name, option in (
                ("port", "port"),
                ("rtp_port", "rtp_port"),
                ("host", "ip"),
                ("trunk", "trunk"),
            )
            if options.get(option)
        }
        config = controller_config(**overrides)
        controller = Controller(config)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: controller.stop())
        self.stdout.write(
            f"SIP call controller: udp {config.host}:{config.port}, RTP from {config.rtp_port}, "
            f"trunk {config.trunk or '(none)'}, prompts in {config.prompts_dir}"
        )
        self.stdout.flush()
        controller.run()
