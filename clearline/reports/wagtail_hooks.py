"""The reports app in the Wagtail admin: its part of the operators' call page (``telephony.admin_calls``): where
the call is in the routing log, and whether its month's digest is published; and the figures dashboard
(``admin_dashboard``, staff only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from clearline.reports.models import RoutingLogEntry, RoutingLogMonth
from clearline.telephony.admin_calls import CALL_PAGE_HOOK


@hooks.register(CALL_PAGE_HOOK)
def routing_log_sentences(call: Any) -> list[str]:
    entry = RoutingLogEntry.objects.filter(call_pk=call.pk).first()
    if entry is None:
        return [_("Not in the routing log yet: a call is chained a minute after it ends.")]
    month = f"{entry.period:%Y-%m}"
    sentences = [
        _("Entry #%(n)s of the routing log, in %(month)s; entry hash %(hash)s.")
        % {"n": entry.sequence, "month": month, "hash": entry.entry_hash}
    ]
    sealed = RoutingLogMonth.objects.filter(period=entry.period).first()
    if sealed is not None:
        sentences.append(
            _("The digest of %(month)s, published on the transparency page, is %(digest)s.")
            % {"month": month, "digest": sealed.digest}
        )
    else:
        sentences.append(
            _("%(month)s is not sealed yet: its digest is published once the month is over.")
            % {"month": month}
        )
    return sentences


class StaffMenuItem(MenuItem):
    """Shown to staff only, like the page behind it."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_staff", False))


@hooks.register("register_admin_urls")
def register_figures_urls() -> list[Any]:
    from clearline.reports.admin_dashboard import FiguresDashboardView

    return [path("figures/", FiguresDashboardView.as_view(), name="reports_figures")]


@hooks.register("register_admin_menu_item")
def register_figures_menu_item() -> Any:
    return StaffMenuItem(
        gettext_lazy("Figures"), reverse("reports_figures"), name="figures", icon_name="table", order=232
    )
