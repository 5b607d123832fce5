"""``clearline routing_log_verify --month YYYY-MM [--digest HEX]``: recompute a month of the routing log from the
calls' stored decision traces and compare it with the published digest (``clearline.reports.routing_log``).

Exit status: 0 when the month matches; 1 when it does not (the first call whose trace was edited or deleted is
named); 2 when it cannot be checked (a month not in the log, or past ``CLEARLINE_TRACE_RETENTION_DAYS``)."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.reports import routing_log
from clearline.reports.transparency import month_text, parse_month

_HEX = re.compile(r"[0-9a-fA-F]{64}")


class Command(BaseCommand):
    help = (
        "Recompute a month of the routing log from the stored decision traces and compare it with its digest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM, in the operator's time zone.")
        parser.add_argument(
            "--digest",
            help="The digest to compare with, e.g. copied from the transparency page (default: the one stored).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        digest = options.get("digest")
        if digest is not None and not _HEX.fullmatch(digest):
            raise CommandError("--digest must be 64 hexadecimal digits.", returncode=2)
        try:
            result = routing_log.verify_month(month, digest)
        except LookupError as error:
            raise CommandError(f"Cannot verify: {error}.", returncode=2) from error
        name = month_text(month)
        if result.past_retention:
            raise CommandError(
                f"Cannot verify {name}: its decision traces are past the retention period "
                "(CLEARLINE_TRACE_RETENTION_DAYS) and may have been erased.",
                returncode=2,
            )
        if result.problem is not None:
            raise CommandError(f"Routing log {name} does not verify: {result.message()}.", returncode=1)
        if result.published is None:
            self.stdout.write(
                f"Routing log {name}: {result.entries} entries match their calls' traces; the month is not "
                f"over or not sealed yet, so there is no published digest (so far: {result.computed})."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Routing log {name} verified: {result.entries} calls, digest {result.computed} matches."
            )
        )
