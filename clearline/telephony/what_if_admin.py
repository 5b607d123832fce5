"""The routing settings admin's "What if?": the last 30 days of recorded calls replayed under the form's values
(``providers.routing_what_if`` asks for it through the ``WHAT_IF_HOOK`` Wagtail hook, since the
recorded calls live in this layer above it). Staff only, as every page about calls; shows figures per provider,
never a caller."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from clearline.providers.routing_settings import RoutingSettings
from clearline.telephony.replay import what_if_last_days

DAYS = 30

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
    report = what_if_last_days(settings, DAYS)
    data = report.as_dict()
    rows = [(label, data["actual"][key], data["what_if"][key]) for label, key in ROWS]
    return render_to_string(
        "telephony/admin/what_if.html",
        {"data": data, "rows": rows, "days": DAYS, "report": report},
        request=request,
    )
