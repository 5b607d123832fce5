"""``clearline export_fallback_twiml``: the static TwiML Twilio plays when Clearline itself fails.

Host the output on separate infrastructure (any static host that answers GET) and set it as each number's
fallback URL (``twilio_sync_numbers``). See docs/twilio.md, "The fallback".

Two modes:

- ``--output FILE`` (or standard output): the general helpline fallback, ``FILE`` and ``FILE-crisis``. Fit for
  helpline numbers only: it says "This is the Clearline helpline" and transfers to the free helpline.
- ``--per-number DIR``: one file per Clearline number, ``DIR/<E.164 digits>.xml`` (``+12065550101`` ->
  ``12065550101.xml``, ``twiml.fallback_document_for``), plus the shared ``fallback-crisis.xml`` and
  ``fallback-free-helpline.xml`` its keys link to. A listing number's file rings its facility's verified phone
  and nobody else (DESIGN.md §3 rule 1); a general helpline's is the helpline fallback. Point the numbers at
  them with ``twilio_sync_numbers --fallback-base URL-OF-DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.content.models import Helpline
from clearline.content.snippets import HelplineKind
from clearline.directory.services import verified_destination_for
from clearline.telephony.twilio.twiml.fallback import (
    FALLBACK_CRISIS_DOCUMENT,
    FALLBACK_FREE_HELPLINE_DOCUMENT,
    fallback_document_for,
    render_fallback,
    render_fallback_crisis,
    render_fallback_free_helpline,
    render_listing_fallback,
)


class Command(BaseCommand):
    help = (
        "Write the fallback TwiML (disclosure, press 9 for the crisis line, then the free national helpline). "
        "With --output, the crisis document it links to (press 9) is written next to it. With --per-number DIR, "
        "one file per Clearline number (a listing number's rings its facility only) and the shared documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--output", help="file to write (default: standard output)")
        target.add_argument(
            "--per-number",
            metavar="DIR",
            help="write DIR/<E.164 digits>.xml for every Clearline number, with the shared documents they link to",
        )
        parser.add_argument("--language", choices=["en", "es"], default="en", help="spoken language (en)")
        parser.add_argument(
            "--crisis",
            action="store_true",
            help="print the crisis document (press 9) instead of the main one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"]
        if options["per_number"]:
            self._per_number(Path(options["per_number"]), language)
            return
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
        _write(main, render_fallback(language, crisis_document=crisis.name))
        _write(crisis, render_fallback_crisis(language))
        self.stdout.write(f"Wrote {main} and {crisis}; host both in the same folder (see docs/twilio.md).")

    def _per_number(self, folder: Path, language: str) -> None:
        """Every Clearline number's own fallback, and the two shared documents, into ``folder``."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"could not create {folder}: {error.strerror}") from error
        helplines = list(Helpline.objects.select_related("facility").order_by("number"))
        if not helplines:
            raise CommandError("Clearline has no numbers yet (content.Helpline): nothing to export.")
        for helpline in helplines:
            path = folder / fallback_document_for(helpline.number)
            label = f"{helpline.number} ({helpline.label})"
            if helpline.kind == HelplineKind.LISTING:
                facility = helpline.facility
                phone = verified_destination_for(facility.pk) if facility else None
                name = facility.name if facility else ""
                _write(path, render_listing_fallback(name, phone, language))
                if phone:
                    self.stdout.write(f"{path.name}: {label} rings {name} only")
                else:
                    self.stderr.write(
                        f"Warning: {label}: {name or 'no facility'} has no verified phone with a listing consent; "
                        f"{path.name} says it cannot be reached and offers the free lines."
                    )
            else:
                _write(path, render_fallback(language, crisis_document=FALLBACK_CRISIS_DOCUMENT))
                self.stdout.write(f"{path.name}: {label} helpline fallback")
        _write(folder / FALLBACK_CRISIS_DOCUMENT, render_fallback_crisis(language))
        _write(folder / FALLBACK_FREE_HELPLINE_DOCUMENT, render_fallback_free_helpline(language))
        self.stdout.write(
            f"Wrote {len(helplines)} numbers' fallbacks, {FALLBACK_CRISIS_DOCUMENT} and "
            f"{FALLBACK_FREE_HELPLINE_DOCUMENT} to {folder}; host the whole folder and run "
            "twilio_sync_numbers --fallback-base URL-OF-THE-FOLDER (see docs/twilio.md). Export again after any "
            "change to a number, a listing's facility, its verified phones or its listing consent."
        )


def _write(path: Path, twiml: str) -> None:
    try:
        path.write_text(twiml + "\n", encoding="utf-8")
    except OSError as error:
        raise CommandError(f"could not write {error.filename}: {error.strerror}") from error
