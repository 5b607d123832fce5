"""``clearline replay --from DATE --to DATE --settings FILE [--json]``: what-if replay of recorded calls.

Thin: reading the calls and the settings is ``telephony.replay``, the replay itself ``routing.replay``; see
docs/replay.md.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.telephony.replay import ReplayReport, SettingsError, period, read_settings_file, run_replay


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date like 2026-11-30.") from error


class Command(BaseCommand):
    help = "Re-run the routing engine on a period's recorded helpline calls under proposed settings."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # ``--settings`` is this command's routing settings file, in place of Django's settings module option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="first", required=True, help="first day, YYYY-MM-DD (operator's zone)"
        )
        parser.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD (included)")
        parser.add_argument(
            "--settings",
            "--settings-file",
            dest="settings_file",
            required=True,
            help="JSON or TOML file of routing settings (not a Django settings module)",
        )
        parser.set_defaults(settings=None)  # Django's own --settings, which this one replaces
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            proposal = read_settings_file(options["settings_file"])
            start, end = period(_date(options["first"]), _date(options["last"]))
        except SettingsError as error:
            raise CommandError(str(error)) from error
        report = run_replay(start, end, proposal)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
        else:
            self.stdout.write("\n".join(table_lines(report)))


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:g}" if isinstance(value, float) else str(value)


def table_lines(report: ReplayReport) -> list[str]:
    data = report.as_dict()
    lines = [
        f"Calls {data['from']} to {data['to']}: {data['calls']} general helpline calls, {data['replayed']} replayed",
    ]
    for reason, count in sorted(data["not_replayable"].items()):
        lines.append(f"  not replayable, {reason}: {count}")
    lines.append(
        f"Same plan as recorded: {data['same_plans']} of {data['replayed']}; "
        f"same offers: {data['same_offers']} of {data['replayed']}"
    )
    rows = (
        ("answered live %", "answered_pct"),
        ("answered or returned %", "answered_or_returned_pct"),
        ("callbacks", "callbacks"),
        ("callbacks returned on time", "callbacks_returned"),
        ("ended at the free helpline %", "free_line_pct"),
        ("caller left first %", "left_pct"),
        ("avg time to human s", "avg_time_to_human_s"),
    )
    lines.append(f"{'':<30}{'happened':>12}{'what if':>12}")
    for label, key in rows:
        lines.append(f"{label:<30}{_cell(data['actual'][key]):>12}{_cell(data['what_if'][key]):>12}")
    lines.append(f"{'provider':<30}{'offers':>12}{'what if':>12}{'share %':>12}{'what if':>12}")
    for p in data["providers"]:
        lines.append(
            f"{p['name'][:29]:<30}{_cell(p['offers']['actual']):>12}{_cell(p['offers']['what_if']):>12}"
            f"{_cell(p['share_pct']['actual']):>12}{_cell(p['share_pct']['what_if']):>12}"
        )
    return lines
