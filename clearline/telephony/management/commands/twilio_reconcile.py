"""``clearline twilio_reconcile [--older-than-minutes N] [--dry-run]``: repair calls whose final status never came.

A status callback can be lost (Clearline down, a network error, a retry budget spent). Such a call keeps
``ended_at`` empty and may keep its providers' lines. This command (run nightly, DESIGN.md §5 step 6) asks
Twilio for every call that started more than N minutes ago (default 30) and has not ended, and applies Twilio's
status through ``services.advance_call_status``: the same one-way state machine as the webhook, so a final status
ends the call and frees its lines exactly once, and a late webhook afterwards changes nothing.

A Twilio error for one call is reported and the command goes on with the next; it exits non-zero at the end if
any call could not be reconciled, so a scheduler notices. ``--dry-run`` fetches and reports, changes nothing.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clearline.telephony import services
from clearline.telephony.models import CALL_STATUS_RANK, Call
from clearline.telephony.twilio import client

FINAL_RANK = 3


def twilio_end_time(resource: dict[str, Any]) -> dt.datetime | None:
    """Twilio's ``end_time`` (RFC 2822, e.g. ``Tue, 10 Aug 2010 08:02:31 +0000``), if present and readable."""
    raw = resource.get("end_time")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


def twilio_duration(resource: dict[str, Any]) -> int | None:
    """Twilio's ``duration``: seconds as a string (``"187"``), or null while the call is live."""
    raw = resource.get("duration")
    try:
        return int(raw) if raw is not None and int(raw) >= 0 else None
    except (TypeError, ValueError):
        return None


class Command(BaseCommand):
    help = "Fetch calls that never got a final status from Twilio and apply it (ending them, freeing lines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=30,
            metavar="N",
            help="only calls that started more than N minutes ago (default 30)",
        )
        parser.add_argument("--dry-run", action="store_true", help="fetch and report; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["older_than_minutes"]
        if minutes < 1:
            raise CommandError(
                "--older-than-minutes must be at least 1: live calls have no final status yet."
            )
        missing = [
            name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not getattr(settings, name, None)
        ]
        if missing:
            raise CommandError(f"Set {', '.join(missing)} first (see docs/twilio.md).")
        dry_run = options["dry_run"]
        cutoff = timezone.now() - dt.timedelta(minutes=minutes)
        sids = list(
            Call.objects.filter(ended_at__isnull=True, started_at__lt=cutoff)
            .order_by("started_at", "pk")
            .values_list("call_sid", flat=True)
        )
        ended = live = 0
        failed: list[str] = []
        for call_sid in sids:
            try:
                resource = client.fetch_call(call_sid)
            except client.TwilioApiError as error:
                self.stderr.write(f"{call_sid}: Twilio error: {error}")
                failed.append(call_sid)
                continue
            status = str(resource.get("status") or "")
            rank = CALL_STATUS_RANK.get(status)
            if rank is None:
                self.stderr.write(f"{call_sid}: Twilio reports an unknown status {status!r}; left as it is")
                failed.append(call_sid)
                continue
            duration = twilio_duration(resource)
            if rank < FINAL_RANK:
                live += 1
                self.stdout.write(f"{call_sid}: still {status} at Twilio")
                if not dry_run:
                    services.advance_call_status(call_sid, status)
                continue
            ended += 1
            seconds = f", {duration} s" if duration is not None else ""
            if dry_run:
                self.stdout.write(f"{call_sid}: would end as {status}{seconds}")
                continue
            services.advance_call_status(call_sid, status, duration_s=duration, now=twilio_end_time(resource))
            self.stdout.write(f"{call_sid}: ended as {status}{seconds}; lines freed")
        verb = "would end" if dry_run else "ended"
        self.stdout.write(
            f"{len(sids)} calls without an end older than {minutes} minutes: {ended} {verb}, "
            f"{live} still live at Twilio, {len(failed)} errors."
        )
        if failed:
            raise CommandError(f"{len(failed)} calls could not be reconciled: {', '.join(failed)}")
