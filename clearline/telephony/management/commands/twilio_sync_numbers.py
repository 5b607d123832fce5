"""``clearline twilio_sync_numbers``: point every number of the Twilio account at this Clearline.

Sets the voice URL (``{CLEARLINE_PUBLIC_URL}/telephony/twilio/voice``, POST), the status callback
(``/telephony/twilio/status``, POST) and the fallback TwiML URL (GET):

- ``--fallback-base URL``: the folder where ``export_fallback_twiml --per-number`` output is hosted; each
  Clearline number gets its own file, ``URL/<E.164 digits>.xml`` (``twiml.fallback_document_for``). A number
  of the account that Clearline does not know gets ``--fallback-url`` if given, else keeps its fallback.
- ``--fallback-url URL`` alone: the helpline fallback for every number. Refused (``CommandError``, before any
  change) when a listing number would get it: that file says "Clearline helpline" and sends callers to the
  free helpline instead of the facility, against DESIGN.md §3 rule 1.

Neither may be served by Clearline itself (under ``CLEARLINE_PUBLIC_URL``). ``--dry-run`` prints the changes and
makes none.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.content.models import Helpline, HelplineKind
from clearline.telephony.twilio.client import (
    IncomingNumber,
    TwilioApiError,
    list_incoming_numbers,
    update_incoming_number,
)
from clearline.telephony.twilio.twiml.fallback import fallback_document_for

VOICE_PATH = "/telephony/twilio/voice"
STATUS_PATH = "/telephony/twilio/status"


class Command(BaseCommand):
    help = (
        "Set the voice webhook, status callback and fallback URL on every phone number of the Twilio account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fallback-base",
            default="",
            metavar="URL",
            help=(
                "the folder where export_fallback_twiml --per-number output is hosted: each Clearline number gets "
                "URL/<E.164 digits>.xml (a listing number's rings its facility only)"
            ),
        )
        parser.add_argument(
            "--fallback-url",
            default="",
            help=(
                "where the helpline fallback TwiML is hosted (export_fallback_twiml --output); with "
                "--fallback-base, only for numbers Clearline does not know; alone, refused for listing numbers"
            ),
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
        fallback_base = options["fallback_base"].rstrip("/")
        for url in (fallback, fallback_base):
            if url.startswith(base + "/") or url == base:
                raise CommandError(
                    "The fallback URL must not be served by Clearline itself: host it elsewhere."
                )
        voice_url, status_url = base + VOICE_PATH, base + STATUS_PATH
        try:
            numbers = list_incoming_numbers()
        except TwilioApiError as error:
            raise CommandError(f"Could not list the account's numbers: {error}") from error
        if not numbers:
            self.stdout.write("The account has no phone numbers.")
            return
        kinds = dict(
            Helpline.objects.filter(number__in=[n.phone_number for n in numbers]).values_list(
                "number", "kind"
            )
        )
        wanted = {
            number.sid: self._fallback_for(number, kinds, fallback, fallback_base) for number in numbers
        }
        refused = [
            number.phone_number
            for number in numbers
            if kinds.get(number.phone_number) == HelplineKind.LISTING and wanted[number.sid] == fallback != ""
        ]
        if refused:
            raise CommandError(
                f"Listing numbers {', '.join(refused)} would get the helpline fallback ({fallback}), which sends "
                "their callers to the free helpline instead of the facility. Export one fallback per number "
                "(export_fallback_twiml --per-number DIR), host DIR and pass --fallback-base URL-OF-DIR "
                "(see docs/twilio.md). Nothing was changed."
            )
        changed = 0
        for number in numbers:
            new_fallback = wanted[number.sid]
            changes = [
                (field, old, new)
                for field, old, new in (
                    ("voice URL", number.voice_url, voice_url),
                    ("status callback", number.status_callback, status_url),
                    ("fallback URL", number.voice_fallback_url, new_fallback or number.voice_fallback_url),
                )
                if old != new
            ]
            label = f"{number.phone_number} ({number.friendly_name or number.sid})"
            if not (new_fallback or number.voice_fallback_url):
                if kinds.get(number.phone_number) == HelplineKind.LISTING:
                    hint = "--fallback-base"
                else:
                    hint = "--fallback-url" if fallback_base else "--fallback-base or --fallback-url"
                self.stderr.write(f"Warning: {label} has no fallback URL; pass {hint}.")
            if not changes:
                self.stdout.write(f"{label}: up to date")
                continue
            changed += 1
            for field, old, new in changes:
                self.stdout.write(f"{label}: {field} {old or '(none)'} -> {new}")
            if not options["dry_run"]:
                try:
                    update_incoming_number(number.sid, voice_url, status_url, new_fallback or None)
                except TwilioApiError as error:
                    raise CommandError(f"Could not update {label}: {error}") from error
        verb = "would change" if options["dry_run"] else "changed"
        self.stdout.write(f"{len(numbers)} numbers, {changed} {verb}.")

    def _fallback_for(
        self, number: IncomingNumber, kinds: dict[str, str], fallback: str, fallback_base: str
    ) -> str:
        """The fallback URL this number should have; "" keeps the one it has."""
        kind = kinds.get(number.phone_number)
        label = f"{number.phone_number} ({number.friendly_name or number.sid})"
        if kind is not None and fallback_base:
            return f"{fallback_base}/{fallback_document_for(number.phone_number)}"
        if kind is None and fallback_base and not fallback:
            self.stderr.write(
                f"Warning: {label} is not a Clearline number, so it has no file under --fallback-base; "
                "its fallback URL is left as it is."
            )
            return ""
        if kind == HelplineKind.LISTING and not fallback:
            own = fallback_document_for(number.phone_number)
            if number.voice_fallback_url and not number.voice_fallback_url.endswith("/" + own):
                self.stderr.write(
                    f"Warning: listing number {label} has the fallback URL {number.voice_fallback_url}, not its "
                    f"own file {own}: while Clearline is down its callers may not reach the facility. Export "
                    "per-number fallbacks and pass --fallback-base."
                )
        return fallback
