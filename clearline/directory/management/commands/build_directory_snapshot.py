from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.directory.snapshot import DEFAULT_FACILITIES, SNAPSHOT, build_snapshot


class Command(BaseCommand):
    help = (
        "Write the demo's compressed snapshot of SAMHSA's directory (clearline/directory/data/samhsa-2022.json.xz) "
        "from SAMHSA's file: the xlsx as published, or its CSV form with latitude/longitude/geo_source/county "
        "columns (the default: ../shared/data/samhsa/samhsa_su_directory_2022_geocoded.csv). Rows are parsed "
        "exactly as import_samhsa parses them. See docs/directory.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=DEFAULT_FACILITIES)
        parser.add_argument("--service-codes", type=Path, help="The code reference as CSV (for a CSV file).")
        parser.add_argument("--out", type=Path, default=SNAPSHOT)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        result = build_snapshot(path, options["service_codes"], options["out"])
        if not result.facilities:
            raise CommandError(f"{path} has no importable facility rows: {result.report.summary()}")
        for line in result.report.lines()[:50]:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.path}: {result.facilities} facilities, {result.bytes / 1e6:.2f} MB "
                f"({result.report.rows} rows read, {len(result.report.rejected)} rejected). "
                "Keep NOTICE.md next to it up to date with the sources."
            )
        )
