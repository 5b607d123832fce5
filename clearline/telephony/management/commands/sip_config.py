"""``clearline sip_config --out DIR``: write the files Kamailio's edge reads (deploy/kamailio/kamailio.cfg).

DIR becomes a db_text folder (``clearline.telephony.sip.edge``): the dialable numbers from the database (every
``content.Helpline``, general and listing), and from the settings the trusted addresses
(``CLEARLINE_SIP_TRUSTED``), the call controllers (``CLEARLINE_SIP_CONTROLLERS``), the trunk
(``CLEARLINE_SIP_TRUNK``) and the fallback URI (``CLEARLINE_SIP_FALLBACK_URI``). Nobody edits these files by hand:
run the command again after a number changes, then reload what changed (docs/sip.md, "Reloading"):

    kamcmd htable.reload numbers            # numbers
    kamcmd permissions.addressReload        # CLEARLINE_SIP_TRUSTED
    kamcmd dispatcher.reload                # CLEARLINE_SIP_CONTROLLERS
    kamcmd htable.reload clearline          # CLEARLINE_SIP_TRUNK, CLEARLINE_SIP_FALLBACK_URI

``--reload`` runs them itself against Kamailio's control socket (``--ctl``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.content.models import Helpline, HelplineKind
from clearline.telephony.sip.edge import EdgeConfig, parse_trusted, write_edge_files

RELOADS = (
    ("htable.reload", "numbers"),
    ("permissions.addressReload",),
    ("dispatcher.reload",),
    ("htable.reload", "clearline"),
)


class Command(BaseCommand):
    help = (
        "Write the db_text folder Kamailio's edge reads: the dialable Clearline numbers from the database, and "
        "the trusted addresses, call controllers, trunk and fallback URI from the settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, metavar="DIR", help="the folder to write (created if needed)"
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="then tell the running Kamailio to reload every table (kamcmd)",
        )
        parser.add_argument(
            "--ctl",
            default="unix:/run/kamailio/kamailio_ctl",
            help="Kamailio's control socket for --reload (default: Debian's, unix:/run/kamailio/kamailio_ctl)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["out"]).resolve()
        if not settings.CLEARLINE_SIP_FALLBACK_URI:
            raise CommandError(
                "Set CLEARLINE_SIP_TRUNK or CLEARLINE_SIP_FALLBACK_URI: without a fallback, a call no controller "
                "answers would have nowhere to go."
            )
        numbers = {
            number: "listing" if kind == HelplineKind.LISTING else "general"
            for number, kind in Helpline.objects.order_by("number").values_list("number", "kind")
        }
        config = EdgeConfig(
            trusted=parse_trusted(settings.CLEARLINE_SIP_TRUSTED),
            controllers=tuple(settings.CLEARLINE_SIP_CONTROLLERS),
            trunk=settings.CLEARLINE_SIP_TRUNK,
            fallback_uri=settings.CLEARLINE_SIP_FALLBACK_URI,
            numbers=numbers,
        )
        try:
            write_edge_files(folder, config)
        except OSError as error:
            raise CommandError(f"could not write {folder}: {error.strerror}") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        listing = sum(kind == "listing" for kind in numbers.values())
        self.stdout.write(
            f"Wrote {folder}: {len(numbers) - listing} helpline and {listing} listing numbers, "
            f"{len(config.trusted)} trusted addresses, {len(config.controllers)} call controllers, "
            f"trunk {config.trunk or '(none)'}, fallback {config.fallback_uri}."
        )
        for warning in _warnings(config):
            self.stderr.write(f"Warning: {warning}")
        if options["reload"]:
            self._reload(options["ctl"])
        else:
            self.stdout.write(
                f"Kamailio reads it with -A 'CLEARLINE_SIP_DB=\"text://{folder}\"'; a running Kamailio picks up "
                "changes with: " + "; ".join("kamcmd " + " ".join(command) for command in RELOADS)
            )

    def _reload(self, ctl: str) -> None:
        kamcmd = shutil.which("kamcmd") or "/usr/sbin/kamcmd"
        for command in RELOADS:
            try:
                done = subprocess.run(
                    [kamcmd, "-s", ctl, *command], capture_output=True, text=True, timeout=10, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                raise CommandError(f"kamcmd {' '.join(command)}: {error}") from error
            if done.returncode != 0:
                raise CommandError(f"kamcmd {' '.join(command)}: {(done.stderr or done.stdout).strip()}")
        self.stdout.write(
            f"Kamailio ({ctl}) reloaded numbers, trusted addresses, controllers, trunk and fallback."
        )


def _warnings(config: EdgeConfig) -> list[str]:
    warnings = []
    if not config.numbers:
        warnings.append(
            "no Clearline numbers (content.Helpline): Kamailio will answer every INVITE with 404."
        )
    if not config.trusted:
        warnings.append("CLEARLINE_SIP_TRUSTED is empty: Kamailio will answer every INVITE with 403.")
    if not config.controllers:
        warnings.append(
            "CLEARLINE_SIP_CONTROLLERS is empty: every call goes straight to the fallback "
            f"({config.fallback_uri})."
        )
    if not config.trunk:
        warnings.append("CLEARLINE_SIP_TRUNK is unset: controllers cannot reach E.164 numbers (503).")
    return warnings
