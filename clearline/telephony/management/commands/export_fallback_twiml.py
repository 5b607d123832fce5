"""``clearline export_fallback_twiml``: the static TwiML Twilio plays when Clearline itself fails.

Host the output on separate infrastructure (any static host that answers GET) and set it as each number's
fallback URL (``twilio_sync_numbers --fallback-url``). See docs/twilio.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.telephony.twilio.twiml import FALLBACK_CRISIS_DOCUMENT, render_fallback, render_fallback_crisis


class Command(BaseCommand):
    help = (
        "Write the fallback TwiML (disclosure, press 9 for the crisis line, then the free national helpline). "
        "With --output, the crisis document it links to (press 9) is written next to it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--language", choices=["en", "es"], default="en", help="spoken language (en)")
        parser.add_argument(
            "--crisis",
            action="store_true",
            help="print the crisis document (press 9) instead of the main one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"]
        if not options["output"]:
            if options["crisis"]:
                self.stdout.write(render_fallback_crisis(language))
            else:
                # Printed, it links to the crisis document by its default file name, whatever the language.
                self.stdout.write(render_fallback(language, crisis_document=FALLBACK_CRISIS_DOCUMENT))
            return
        main = Path(options["output"])
        crisis = main.with_name(f"{main.stem}-crisis{main.suffix or '.xml'}")
        if crisis.name == main.name:  # pragma: no cover - only if someone names the file "...-crisis"
            crisis = main.with_name(FALLBACK_CRISIS_DOCUMENT)
        try:
            main.write_text(render_fallback(language, crisis_document=crisis.name) + "\n", encoding="utf-8")
            crisis.write_text(render_fallback_crisis(language) + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"could not write {error.filename}: {error.strerror}") from error
        self.stdout.write(f"Wrote {main} and {crisis}; host both in the same folder (see docs/twilio.md).")
