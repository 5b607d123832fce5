from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.directory.importers.samhsa import import_samhsa

from ._output import print_report


class Command(BaseCommand):
    help = "Import SAMHSA's National Directory (the xlsx as published, or its CSV form). Safe to re-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--service-codes", type=Path, help="The code reference as CSV (for a CSV file).")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--all-problems", action="store_true", help="List every rejected row and value.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        report = import_samhsa(path, options["service_codes"], progress=not options["no_progress"])
        print_report(self, report, None if options["all_problems"] else 50)
