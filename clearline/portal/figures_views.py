"""The portal's call figures: the operators' dashboard figures (``reports.dashboard``) for the member's own
organisation only, over any days (the operator's days, as the monthly figures and the transparency page).

Scoped twice: the period names ``member.provider`` (only calls it was rung for, callbacks assigned to it), and the
share table may name this provider only. Rates, times and shares over fewer than 5 calls are withheld, as on the
transparency page. ``?csv=<chart>`` downloads one chart's table. Thin: parse, scope, load, render.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from clearline.portal.access import Member, portal_view
from clearline.portal.pages import render_page
from clearline.reports.call_figures import MIN_CALLS_FOR_RATES, SERVICE_LEVEL_SECONDS
from clearline.reports.dashboard import chart_csv, dashboard, query_without_csv
from clearline.reports.dashboard_forms import PortalFiguresFilters


@portal_view()
def call_figures(request: HttpRequest, member: Member) -> HttpResponse:
    form = PortalFiguresFilters(request.GET or None)
    period = form.period()
    charts = []
    if period is not None:
        period = dataclasses.replace(period, provider_id=member.provider.pk)
        charts = dashboard(period, {member.provider.pk: member.provider.name}, withhold_small=True)
        if "csv" in request.GET:
            return chart_csv(charts, request.GET["csv"], period)
    return render_page(
        request,
        member,
        "portal/call_figures.html",
        {
            "filters": form,
            "period": period,
            "charts": charts,
            "query": query_without_csv(request),
            "zone": settings.TIME_ZONE,
            "min_calls": MIN_CALLS_FOR_RATES,
            "service_level_seconds": SERVICE_LEVEL_SECONDS,
        },
    )
