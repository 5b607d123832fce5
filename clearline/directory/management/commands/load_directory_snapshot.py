from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clearline.directory.snapshot import SNAPSHOT, load_snapshot


class Command(BaseCommand):
    help = (
        "Import the demo's snapshot of SAMHSA's 2022 directory (what `load_demo_data` does), unless the database "
        "already holds SAMHSA facilities. For a newer file from SAMHSA use import_samhsa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=SNAPSHOT)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_snapshot(options["path"], progress=False if options["no_progress"] else None)
        if report is None:
            self.stdout.write("SAMHSA facilities are already imported: nothing to do.")
        else:
            self.stdout.write(self.style.SUCCESS(report.summary()))
