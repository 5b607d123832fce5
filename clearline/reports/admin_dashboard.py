"""Operators' figures dashboard in the Wagtail admin (staff only, as the call pages: ``telephony.admin_calls``).

GET form (date range, number, provider; ``dashboard_forms``), then every chart of ``dashboard.dashboard`` with its
table; ``?csv=<chart>`` with the same filters downloads one chart's table. Thin: parse, load, render.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from clearline.providers.models import Provider
from clearline.reports.dashboard import Chart, chart_csv, dashboard, query_without_csv
from clearline.reports.dashboard_forms import OperatorFiguresFilters
from clearline.telephony.admin_calls import StaffOnlyMixin


class FiguresDashboardView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/figures.html"
    page_title = _("Figures")
    header_icon = "table"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Figures")}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.filters = OperatorFiguresFilters(request.GET or None)
        self.period = self.filters.period()
        self.charts: list[Chart] = []
        if self.period is not None:
            names = dict(Provider.objects.values_list("pk", "name"))
            self.charts = dashboard(self.period, names)
            if "csv" in request.GET:
                return chart_csv(self.charts, request.GET["csv"], self.period)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filters=self.filters,
            period=self.period,
            charts=self.charts,
            query=query_without_csv(self.request),
            zone=settings.TIME_ZONE,
        )
        return context
