"""Operators' call pages in the Wagtail admin (staff only, read-only; registered in ``wagtail_hooks``).

- **Calls**: the calls of the last hours or days, newest first, filtered by helpline and outcome.
- **A call**: its whole decision trace in plain words (``trace_words``): who was eligible, who was filtered out and
  by which rule, the order and why, each wave and what each provider rung did, the callback, the disclosure
  version and the claims the call was made under.
- **Live calls**: the calls in progress and those of the last hours, with who is ringing; the page refreshes its
  table from ``live_calls_json`` every few seconds (``telephony/live_calls.js``, a static file: no inline script,
  so the Content-Security-Policy could forbid inline code), and without JavaScript it is the same table, static.

The caller appears only as ``trace_words.caller_tag`` (8 characters of the keyed hash, DESIGN.md rule 7): never
the number, never the hash. Views are thin: parse the filters, load, hand plain values to the formatting functions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from clearline.content.models import Helpline
from clearline.providers.models import Provider
from clearline.telephony import trace_words
from clearline.telephony.call_story import claim_text
from clearline.telephony.claim_checks import NotCheckable, claims_for
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallOutcome

# Apps above telephony add sentences to a call's page through this Wagtail hook (a function of the call returning
# a list of sentences), so telephony needs no import of them: reports tells where the call is in the routing log.
CALL_PAGE_HOOK = "clearline_call_page_sentences"
CALLS_PER_PAGE = 50
LIVE_HOURS = 3
LIVE_LIMIT = 100  # ended calls shown on the live page (calls in progress are all shown)
LIVE_REFRESH_SECONDS = 5

SINCE_CHOICES = [
    ("1h", _("last hour")),
    ("6h", _("last 6 hours")),
    ("24h", _("last 24 hours")),
    ("3d", _("last 3 days")),
    ("7d", _("last 7 days")),
    ("30d", _("last 30 days")),
]
SINCE = {
    "1h": dt.timedelta(hours=1),
    "6h": dt.timedelta(hours=6),
    "24h": dt.timedelta(hours=24),
    "3d": dt.timedelta(days=3),
    "7d": dt.timedelta(days=7),
    "30d": dt.timedelta(days=30),
}


class StaffOnlyMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(request.user, "is_staff", False):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class OneCallView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """A staff page about one call (``call_id`` in the URL): 404 unless ``calls()`` holds it; titled "Call N"
    under a breadcrumb to the list it came from (``list_url_name``, ``list_label``)."""

    list_url_name = ""
    list_label: Any = ""

    def calls(self) -> QuerySet[Call]:
        """The calls this page may show (every call, with what its header names)."""
        return Call.objects.select_related("helpline", "disclosure_version", "connected_provider")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request.user, "is_staff", False):
            call = self.calls().filter(pk=kwargs["call_id"]).first()
            if call is None:
                raise Http404
            self.call: Call = call
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(_("Call %(id)s") % {"id": self.call.pk})

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.list_url_name), "label": self.list_label},
            {"url": "", "label": self.get_page_title()},
        ]


class CallFilters(forms.Form):
    since = forms.ChoiceField(label=_("Started in the"), choices=SINCE_CHOICES, required=False, initial="24h")
    helpline = forms.TypedChoiceField(label=_("Number"), coerce=int, required=False, empty_value=None)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["helpline"]).choices = [("", _("every number"))] + [
            (h.pk, f"{h.label} {h.display_number}") for h in Helpline.objects.order_by("label", "pk")
        ]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", _("every outcome")),
            *CallOutcome.choices,
        ]

    def calls(self, now: dt.datetime) -> QuerySet[Call]:
        data = self.cleaned_data if self.is_valid() else {}
        since = SINCE.get(data.get("since") or "24h", SINCE["24h"])
        calls = Call.objects.filter(started_at__gte=now - since)
        if data.get("helpline"):
            calls = calls.filter(helpline_id=data["helpline"])
        if data.get("outcome"):
            calls = calls.filter(outcome=data["outcome"])
        return calls.select_related("helpline").order_by("-started_at", "-pk")


def number_words(call: Call) -> str:
    if call.helpline is None:
        return str(_("a number since removed"))
    return f"{call.helpline.label} {call.helpline.display_number}"


def call_row(call: Call, ringing: Iterable[str] = ()) -> dict[str, Any]:
    """One call as the lists and the live JSON show it: nothing about the caller but the short tag."""
    return {
        "id": call.pk,
        "url": reverse("telephony_call", args=[call.pk]),
        "started": f"{timezone.localtime(call.started_at):%Y-%m-%d %H:%M:%S}",
        "number": number_words(call),
        "kind": call.number_kind,
        "caller_tag": trace_words.caller_tag(call.caller_hmac),
        "state": call.status,
        "in_progress": call.ended_at is None,
        "ringing": list(ringing),
        "outcome": str(call.get_outcome_display()),
    }


class CallsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "telephony/admin/calls.html"
    page_title = _("Calls")
    header_icon = "phone"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Calls")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters = CallFilters(self.request.GET or None)
        page = Paginator(filters.calls(timezone.now()), CALLS_PER_PAGE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            filters=filters,
            page=page,
            rows=[call_row(call) for call in page],
            query=query.urlencode(),
        )
        return context


def _names_for(call: Call, attempts: list[Attempt]) -> dict[str, str]:
    trace = call.trace if isinstance(call.trace, dict) else {}
    ids: set[Any] = {p.get("id") for p in trace.get("providers", ()) if isinstance(p, dict)}
    ids |= set(trace.get("order", ())) | {trace.get("continuity"), trace.get("callback_provider")}
    ids |= {a.provider_id for a in attempts} | {call.connected_provider_id}
    callback = getattr(call, "callback", None) if _has_callback(call) else None
    if callback is not None:
        ids |= set(callback.assignees or ()) | {callback.provider_id}
        consent = callback.consent if isinstance(callback.consent, dict) else {}
        ids |= set(consent.get("provider_ids") or ())
    wanted = {int(i) for i in ids if i is not None and str(i).isdigit()}
    return {str(pk): name for pk, name in Provider.objects.filter(pk__in=wanted).values_list("pk", "name")}


def _has_callback(call: Call) -> bool:
    try:
        call.callback  # noqa: B018 (loads the one-to-one, or raises)
    except Call.callback.RelatedObjectDoesNotExist:
        return False
    return True


class CallView(OneCallView):
    template_name = "telephony/admin/call.html"
    header_icon = "phone"
    list_url_name = "telephony_calls"
    list_label = _("Calls")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        call = self.call
        attempts = list(call.attempts.order_by("pk"))
        names = _names_for(call, attempts)
        trace = call.trace if isinstance(call.trace, dict) else {}
        wave_of_step = None
        if call.plan:
            try:
                wave_of_step = {dial.index: dial.wave for dial in call.routing_plan.dials}
            except (KeyError, TypeError, ValueError):  # a plan stored in a shape this code no longer reads
                wave_of_step = None
        callback = call.callback if _has_callback(call) else None
        callback_values = None
        if callback is not None:
            callback_values = {
                "provider_id": callback.provider_id,
                "assignees": callback.assignees,
                "consent": callback.consent,
                "created_at": callback.created_at,
                "due_at": callback.due_at,
                "closed_at": callback.closed_at,
                "status": callback.get_status_display(),
            }
        attempt_values = [
            {
                "step_index": a.step_index,
                "provider_id": a.provider_id,
                "status": a.status,
                "started_at": a.started_at,
                "answered_at": a.answered_at,
            }
            for a in attempts
        ]
        context.update(
            call=call,
            row=call_row(call),
            connected=trace_words.name_of(names, call.connected_provider_id)
            if call.connected_provider_id
            else "",
            eligibility=trace_words.eligibility_sentences(trace, names),
            order=trace_words.order_sentences(trace, names),
            waves=trace_words.wave_sentences(trace, attempt_values, names, wave_of_step),
            ending=trace_words.ending_sentences(trace, names),
            callback=trace_words.callback_sentences(callback_values, names),
            claims=self._claims(call),
            extras=[line for hook in hooks.get_hooks(CALL_PAGE_HOOK) for line in hook(call)],
        )
        return context

    def _claims(self, call: Call) -> dict[str, Any]:
        """The claims the call was made under, each with whether the worker's check found it contradicted."""
        contradicted = {
            json.dumps(v.get("claim", {}), sort_keys=True, default=list)
            for v in call.claim_violations or ()
            if isinstance(v, dict)
        }
        try:
            made_under = [c.as_dict() for c in claims_for(call)]
            note = ""
        except NotCheckable as reason:
            made_under, note = [json.loads(c) for c in sorted(contradicted)], str(reason)
        return {
            "checked": call.claims_checked_at,
            "note": note,
            "items": [
                {
                    "kind": str(c.get("kind", "?")),
                    "text": claim_text(c),
                    "contradicted": json.dumps(c, sort_keys=True, default=list) in contradicted,
                }
                for c in made_under
            ],
        }


# --- Live calls ---------------------------------------------------------------------------------------------------


def live_rows(now: dt.datetime, hours: int = LIVE_HOURS) -> dict[str, list[dict[str, Any]]]:
    """Calls in progress (with who is ringing now) and the calls that ended in the last ``hours``, newest first."""
    ringing = Attempt.objects.filter(status=AttemptStatus.RINGING, ended_at__isnull=True).select_related(
        "provider"
    )
    in_progress = (
        Call.objects.filter(ended_at__isnull=True, started_at__gte=now - dt.timedelta(hours=hours))
        .select_related("helpline")
        .prefetch_related(Prefetch("attempts", queryset=ringing.order_by("pk"), to_attr="ringing_now"))
        .order_by("-started_at", "-pk")
    )
    recent = (
        Call.objects.filter(ended_at__isnull=False, started_at__gte=now - dt.timedelta(hours=hours))
        .select_related("helpline")
        .order_by("-started_at", "-pk")[:LIVE_LIMIT]
    )
    return {
        "in_progress": [call_row(c, (a.provider.name for a in c.ringing_now)) for c in in_progress],
        "recent": [call_row(c) for c in recent],
    }


class LiveCallsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "telephony/admin/live_calls.html"
    page_title = _("Live calls")
    header_icon = "phone"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Live calls")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            live=live_rows(now),
            hours=LIVE_HOURS,
            refresh_seconds=LIVE_REFRESH_SECONDS,
            updated=f"{timezone.localtime(now):%H:%M:%S}",
        )
        return context


def live_calls_json(request: HttpRequest) -> JsonResponse:
    """The live page's rows as JSON (staff only; the admin's URLs already require a signed-in admin user)."""
    if not getattr(request.user, "is_staff", False):
        raise PermissionDenied
    now = timezone.now()
    response = JsonResponse(
        {"updated": f"{timezone.localtime(now):%H:%M:%S}", **live_rows(now)},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response
