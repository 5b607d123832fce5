"""``clearline twilio_sync_numbers``: point every number of the Twilio account at this Clearline.

Sets the voice URL (``{CLEARLINE_PUBLIC_URL}/telephony/twilio/voice``, POST), the status callback
(``/telephony/twilio/status``, POST) and, with ``--fallback-url``, the fallback TwiML URL (GET).
``--dry-run`` prints the changes and makes none.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.telephony.twilio.client import TwilioApiError, list_incoming_numbers, update_incoming_number

VOICE_PATH = "/telephony/twilio/voice"
STATUS_PATH = "/telephony/twilio/status"


class Command(BaseCommand):
    help = (
        "Set the voice webhook, status callback and fallback URL on every phone number of the Twilio account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fallback-url",
            default="",
            help="where the static fallback TwiML is hosted (export_fallback_twiml)",
        )
        parser.add_argument("--dry-run", action="store_true", help="print what would change; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "CLEARLINE_PUBLIC_URL")
            if not getattr(settings, name, None)
        ]
        if missing:
            raise CommandError(f"Set {', '.join(missing)} first (see docs/twilio.md).")
        base = str(settings.CLEARLINE_PUBLIC_URL).rstrip("/")
        if not base.startswith("https://"):
            self.stderr.write(
                f"Warning: CLEARLINE_PUBLIC_URL is {base}; Twilio should call Clearline over https."
            )
        fallback = options["fallback_url"]
        if fallback.startswith(base + "/"):
            raise CommandError("The fallback URL must not be served by Clearline itself: host it elsewhere.")
        voice_url, status_url = base + VOICE_PATH, base + STATUS_PATH
        try:
            numbers = list_incoming_numbers()
        except TwilioApiError as error:
            raise CommandError(f"Could not list the account's numbers: {error}") from error
        if not numbers:
            self.stdout.write("The account has no phone numbers.")
            return
        changed = 0
        for number in numbers:
            changes = [
                (field, old, new)
                for field, old, new in (
                    ("voice URL", number.voice_url, voice_url),
                    ("status callback", number.status_callback, status_url),
                    ("fallback URL", number.voice_fallback_url, fallback or number.voice_fallback_url),
                )
                if old != new
            ]
            label = f"{number.phone_number} ({number.friendly_name or number.sid})"
            if not (fallback or number.voice_fallback_url):
                self.stderr.write(f"Warning: {label} has no fallback URL; pass --fallback-url.")
            if not changes:
                self.stdout.write(f"{label}: up to date")
                continue
            changed += 1
            for field, old, new in changes:
                self.stdout.write(f"{label}: {field} {old or '(none)'} -> {new}")
            if not options["dry_run"]:
                try:
                    update_incoming_number(number.sid, voice_url, status_url, fallback or None)
                except TwilioApiError as error:
                    raise CommandError(f"Could not update {label}: {error}") from error
        verb = "would change" if options["dry_run"] else "changed"
        self.stdout.write(f"{len(numbers)} numbers, {changed} {verb}.")
