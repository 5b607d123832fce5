from __future__ import annotations

from django.core.management.base import BaseCommand

from clearline.directory.importers.report import ImportReport


def print_report(command: BaseCommand, report: ImportReport, limit: int | None) -> None:
    lines = report.lines()
    for text in lines[:limit] if limit else lines:
        command.stdout.write(text)
    if limit and len(lines) > limit:
        command.stdout.write(f"… and {len(lines) - limit} more (use --all-problems to list them).")
    style = command.style.WARNING if report.rejected else command.style.SUCCESS
    command.stdout.write(style(report.summary()))
