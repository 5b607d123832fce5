"""Operator staff reach the call simulator and the calls that contradicted a claim from the Wagtail admin menu.

- **Call simulator**: ``telephony.simulator_views`` (staff only, in the admin's layout at its own URL).
- **Contradicted claims**: a read-only list of the calls the worker's claim check (``claim_checks``) found
  contradicting what their callers were told, newest first, each with a page telling its decision trace in
  plain words (the providers eligible and filtered out, and by which filter; the order; each wave and what each
  provider rung did; the callback; the disclosure version; every claim the call was made under and which ones
  failed). Staff only, like the simulator; nothing on them can change a record. The caller appears only as a
  short tag cut from the caller's keyed hash (DESIGN.md rule 7): enough to see two calls came from one caller,
  never a number.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from clearline.providers.models import Provider
from clearline.providers.routing_what_if import WHAT_IF_HOOK
from clearline.telephony.admin_calls import OneCallView, StaffOnlyMixin
from clearline.telephony.call_story import call_story, claim_text, provider_ids_in
from clearline.telephony.models import Call
from clearline.telephony.trace_words import caller_tag
from clearline.telephony.what_if_admin import what_if_table

CONTRADICTIONS_PER_PAGE = 50


class StaffMenuItem(MenuItem):
    """Shown to staff only: the page behind it is ``staff_member_required``."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_staff", False))


# The routing settings form's "What if?" button.
hooks.register(WHAT_IF_HOOK, what_if_table)


@hooks.register("register_admin_menu_item")
def register_call_simulator_menu_item() -> Any:
    return StaffMenuItem(
        _("Call simulator"),
        reverse("telephony:simulator"),
        name="call-simulator",
        icon_name="phone",
        order=230,
    )


# --- Contradicted claims -----------------------------------------------------------------------------------------


def contradicting_calls() -> QuerySet[Call]:
    return (
        Call.objects.filter(claims_checked_at__isnull=False)
        .exclude(claim_violations=[])
        .select_related("helpline", "disclosure_version")
        .order_by("-started_at", "-pk")
    )


class ContradictionsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "telephony/admin/contradictions.html"
    page_title = _("Contradicted claims")
    header_icon = "warning"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Contradicted claims")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(contradicting_calls(), CONTRADICTIONS_PER_PAGE).get_page(self.request.GET.get("p"))
        context["page"] = page
        context["rows"] = [
            {
                "call": call,
                "kinds": sorted({v.get("kind", "?") for v in call.claim_violations if isinstance(v, dict)}),
                "caller": caller_tag(call.caller_hmac),
            }
            for call in page
        ]
        return context


class ContradictionView(OneCallView):
    template_name = "telephony/admin/contradiction.html"
    header_icon = "warning"
    list_url_name = "telephony_contradictions"
    list_label = _("Contradicted claims")

    def calls(self) -> QuerySet[Call]:
        return (
            Call.objects.select_related("helpline", "disclosure_version", "callback", "connected_provider")
            .prefetch_related("attempts")
            .filter(claims_checked_at__isnull=False)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        call = self.call
        names = {
            str(pk): name
            for pk, name in Provider.objects.filter(pk__in=provider_ids_in(call)).values_list("pk", "name")
        }
        context.update(
            call=call,
            caller=caller_tag(call.caller_hmac),
            story=call_story(call, names),
            contradicted=[
                {"kind": v.get("kind", "?"), "text": claim_text(v.get("claim", {}))}
                for v in call.claim_violations
                if isinstance(v, dict)
            ],
        )
        return context


@hooks.register("register_admin_urls")
def register_contradiction_urls() -> list[Any]:
    return [
        path("contradicted-claims/", ContradictionsView.as_view(), name="telephony_contradictions"),
        path(
            "contradicted-claims/<int:call_id>/",
            ContradictionView.as_view(),
            name="telephony_contradiction",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_contradictions_menu_item() -> Any:
    return StaffMenuItem(
        _("Contradicted claims"),
        reverse("telephony_contradictions"),
        name="contradicted-claims",
        icon_name="warning",
        order=231,
    )


# --- Calls, a call's decision trace, live calls (``admin_calls``) ---------------------------------------------------


@hooks.register("register_admin_urls")
def register_call_urls() -> list[Any]:
    from clearline.telephony import admin_calls

    return [
        path("calls/", admin_calls.CallsView.as_view(), name="telephony_calls"),
        path("calls/live/", admin_calls.LiveCallsView.as_view(), name="telephony_live_calls"),
        path("calls/live.json", admin_calls.live_calls_json, name="telephony_live_calls_json"),
        path("calls/<int:call_id>/", admin_calls.CallView.as_view(), name="telephony_call"),
    ]


@hooks.register("register_admin_menu_item")
def register_calls_menu_item() -> Any:
    return StaffMenuItem(_("Calls"), reverse("telephony_calls"), name="calls", icon_name="phone", order=228)


@hooks.register("register_admin_menu_item")
def register_live_calls_menu_item() -> Any:
    return StaffMenuItem(
        _("Live calls"), reverse("telephony_live_calls"), name="live-calls", icon_name="phone", order=229
    )


# --- The callback queue (``admin_callbacks``) ----------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_callback_queue_urls() -> list[Any]:
    from clearline.telephony import admin_callbacks

    return [path("callbacks/", admin_callbacks.CallbacksView.as_view(), name="telephony_callbacks")]


@hooks.register("register_admin_menu_item")
def register_callback_queue_menu_item() -> Any:
    return StaffMenuItem(
        _("Callback queue"),
        reverse("telephony_callbacks"),
        name="callback-queue",
        icon_name="time",
        order=233,
    )
