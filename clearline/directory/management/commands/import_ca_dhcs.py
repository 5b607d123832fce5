from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.directory.importers.ca_dhcs import import_ca_dhcs

from ._output import print_report


class Command(BaseCommand):
    help = "Add California DHCS license numbers, expiry and bed capacity to facilities. Safe to re-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--all-problems", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        print_report(self, import_ca_dhcs(path), None if options["all_problems"] else 50)
