"""The operators' callback queue in the Wagtail admin (staff only, read-only; registered in ``wagtail_hooks``).

Open requests come first, the most urgent deadline at the top, each with the time left or how late it is, the
provider it is assigned to now and every earlier one (reassignments), who at the provider is working on it, and
whether operators were alerted (escalated). Closed requests show whether they were returned on time. The caller's
number never appears (it is encrypted on the request and only the assigned provider's portal reveals it); a row
links to its call's page for the decision trace.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from clearline.providers.models import Provider
from clearline.telephony.admin_calls import StaffOnlyMixin
from clearline.telephony.models import CallbackRequest, CallbackStatus

CALLBACKS_PER_PAGE = 50
CLOSED_WINDOW = dt.timedelta(days=7)

SHOW_CHOICES = [
    ("open", _("open")),
    ("overdue", _("open and past their deadline")),
    ("escalated", _("escalated to operators")),
    ("closed", _("closed in the last 7 days")),
]


class CallbackFilters(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False, initial="open")
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["provider"]).choices = [("", _("every provider"))] + [
            (pk, name) for pk, name in Provider.objects.order_by("name", "pk").values_list("pk", "name")
        ]

    def callbacks(self, now: dt.datetime) -> QuerySet[CallbackRequest]:
        data = self.cleaned_data if self.is_valid() else {}
        show = data.get("show") or "open"
        requests = CallbackRequest.objects.select_related("provider", "claimed_by")
        if data.get("provider"):
            requests = requests.filter(provider_id=data["provider"])
        if show == "closed":
            return (
                requests.filter(closed_at__gte=now - CLOSED_WINDOW)
                .exclude(status=CallbackStatus.OPEN)
                .order_by("-closed_at", "-pk")
            )
        requests = requests.filter(status=CallbackStatus.OPEN)
        if show == "overdue":
            requests = requests.filter(due_at__lt=now)
        elif show == "escalated":
            requests = requests.filter(escalated_at__isnull=False)
        return requests.order_by("due_at", "pk")


def minutes_words(delta: dt.timedelta) -> str:
    """A duration as operators read it at a glance: "12 min", "2 h 05 min", "3 days 4 h"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return _g("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _g("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _g("%(d)d days %(h)d h") % {"d": days, "h": hours}


def deadline_words(callback: CallbackRequest, now: dt.datetime) -> str:
    if callback.status == CallbackStatus.OPEN:
        if callback.due_at >= now:
            return _g("due in %(time)s") % {"time": minutes_words(callback.due_at - now)}
        return _g("overdue by %(time)s") % {"time": minutes_words(now - callback.due_at)}
    if callback.status == CallbackStatus.RETURNED and callback.closed_at is not None:
        if callback.closed_at <= callback.due_at:
            return _g("returned on time")
        return _g("returned %(time)s late") % {"time": minutes_words(callback.closed_at - callback.due_at)}
    return _g("not returned")


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def callback_row(callback: CallbackRequest, names: dict[int, str], now: dt.datetime) -> dict[str, Any]:
    """One request as the queue shows it: never the caller's number, nor its keyed hash."""
    earlier = [names.get(int(pk), f"#{pk}") for pk in callback.assignee_ids()[:-1] if pk.isdigit()]
    claimed = callback.claimed_by
    return {
        "id": callback.pk,
        "call_url": reverse("telephony_call", args=[callback.call_id]),
        "call_id": callback.call_id,
        "provider": callback.provider.name,
        "earlier": earlier,
        "reassignments": callback.reassignments,
        "requested": _local(callback.created_at),
        "due": _local(callback.due_at),
        "deadline": deadline_words(callback, now),
        "late": callback.status == CallbackStatus.OPEN and callback.due_at < now,
        "claimed_by": (claimed.get_full_name() or claimed.get_username()) if claimed else "",
        "claimed_at": _local(callback.claimed_at),
        "escalated": _local(callback.escalated_at),
        "status": str(callback.get_status_display()),
        "outcome": str(callback.get_outcome_display()) if callback.outcome else "",
        "closed": _local(callback.closed_at),
    }


def queue_counts(now: dt.datetime) -> dict[str, int]:
    """The figures above the table: what is open now, how the requests closed in the last 7 days ended, and how
    many of those requested in the last 7 days were reassigned."""
    open_now = CallbackRequest.objects.filter(status=CallbackStatus.OPEN).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
    )
    closed = CallbackRequest.objects.filter(closed_at__gte=now - CLOSED_WINDOW).aggregate(
        on_time=Count("pk", filter=Q(status=CallbackStatus.RETURNED, closed_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(status=CallbackStatus.RETURNED, closed_at__gt=F("due_at"))),
        not_returned=Count("pk", filter=Q(status=CallbackStatus.EXPIRED)),
    )
    reassigned = CallbackRequest.objects.filter(
        created_at__gte=now - CLOSED_WINDOW, reassignments__gt=0
    ).count()
    return {**open_now, **closed, "reassigned": reassigned}


class CallbacksView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "telephony/admin/callbacks.html"
    page_title = _("Callback queue")
    header_icon = "time"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Callback queue")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        filters = CallbackFilters(self.request.GET or None)
        page = Paginator(filters.callbacks(now), CALLBACKS_PER_PAGE).get_page(self.request.GET.get("p"))
        wanted = {int(pk) for cb in page for pk in cb.assignee_ids() if pk.isdigit()}
        names = dict(Provider.objects.filter(pk__in=wanted).values_list("pk", "name"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            filters=filters,
            page=page,
            rows=[callback_row(cb, names, now) for cb in page],
            counts=queue_counts(now),
            query=query.urlencode(),
            updated=f"{timezone.localtime(now):%H:%M}",
        )
        return context
