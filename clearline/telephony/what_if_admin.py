"""The routing settings admin's "What if?": the last 30 days of recorded calls replayed under the form's values
(``providers.routing_what_if`` asks for it through the ``WHAT_IF_HOOK`` Wagtail hook, since the
recorded calls live in this layer above it). Staff only, as every page about calls; shows figures per provider,
never a caller."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from clearline.providers.routing_settings import RoutingSettings
from clearline.telephony.models import Call
from clearline.telephony.replay import what_if_last_days
from clearline.telephony.replay_settings import period

DAYS = 30
# The button replays inside the admin's request: at about 0.8 ms a call at 50 providers (docs/replay.md), 20,000
# calls is some 16 s, the most a request should hold. A busier month replays its most recent days that fit.
MAX_CALLS = 20_000

ROWS = (
    ("answered live (%)", "answered_pct"),
    ("answered or returned (%)", "answered_or_returned_pct"),
    ("callback requests", "callbacks"),
    ("callbacks returned on time", "callbacks_returned"),
    ("ended at the free helpline (%)", "free_line_pct"),
    ("caller left first (%)", "left_pct"),
    ("average time to a human (s)", "avg_time_to_human_s"),
)


def what_if_table(request: HttpRequest, settings: RoutingSettings) -> SafeString:
    if not getattr(request.user, "is_staff", False):
        raise PermissionDenied
    days = days_that_fit(DAYS, timezone.localdate(timezone.now(), timezone.get_default_timezone()))
    report = what_if_last_days(settings, days)
    data = report.as_dict()
    rows = [(label, data["actual"][key], data["what_if"][key]) for label, key in ROWS]
    return render_to_string(
        "telephony/admin/what_if.html",
        {"data": data, "rows": rows, "days": days, "report": report},
        request=request,
    )


def days_that_fit(days: int, today: dt.date) -> int:
    """How many of the last ``days`` days (to ``today``) the button replays: all of them, unless their helpline
    calls pass ``MAX_CALLS``; then the most recent days that stay within it (at least today)."""
    start, end = period(today - dt.timedelta(days=days - 1), today)
    per_day = dict(
        Call.objects.filter(started_at__gte=start, started_at__lt=end, number_kind="helpline")
        .annotate(day=TruncDate("started_at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(calls=Count("pk"))
        .values_list("day", "calls")
    )
    total = 0
    for back in range(days):
        total += per_day.get(today - dt.timedelta(days=back), 0)
        if total > MAX_CALLS:
            return max(back, 1)
    return days
