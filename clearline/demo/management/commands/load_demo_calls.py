"""``clearline load_demo_calls``: the demo's month of calls (``clearline.demo.calls``); ``load_demo_data`` runs it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clearline.demo.calls import CALLS_PER_DAY, DEMO_SEED, load_demo_calls
from clearline.demo.loader import refuse_in_production


class Command(BaseCommand):
    help = (
        "Fill the demo with calls through the real call flow, from the start of the last finished month until "
        "an hour ago, then run the worker's jobs (figures, claim checks, routing log). Once only: nothing is "
        "made when the demo's calls exist. Run load_demo_data first. Development only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=float,
            default=None,
            help="only the last DAYS days (default: from last month's 1st)",
        )
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument("--calls-per-day", type=float, default=CALLS_PER_DAY)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_in_production()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        since = None
        if options["days"] is not None:
            since = timezone.now() - dt.timedelta(days=options["days"])
        result = load_demo_calls(since=since, seed=options["seed"], calls_per_day=options["calls_per_day"])
        self.stdout.write(result.summary())
