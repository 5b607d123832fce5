"""The provider portal's pages. Thin: parse, authorise (``portal_view``), call one service function, render.

Every view gets the ``Member`` from ``portal_view`` and reads or writes only ``member.provider``'s rows; an id
from another organisation is looked up together with this provider and so is simply not found (404).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearline.content.models import DisclosureVersion
from clearline.portal import queries
from clearline.portal.access import Member, portal_view
from clearline.portal.forms import (
    CallbackActionForm,
    CallbackOutcomeForm,
    CallFilterForm,
    MonthForm,
)
from clearline.portal.pages import render_page
from clearline.reports.figures import local_today as operator_today
from clearline.reports.figures import monthly_figures
from clearline.telephony import callback_actions as callback_services
from clearline.telephony.models import CallbackOutcome

CALLS_PER_PAGE = 25


# Dashboard, calls, the disclosure the callers heard -------------------------------------------------------------


@portal_view()
def dashboard(request: HttpRequest, member: Member) -> HttpResponse:
    now = timezone.now()
    provider = member.provider
    return render_page(
        request,
        member,
        "portal/dashboard.html",
        {
            "today": queries.today_figures(provider, now),
            "status": queries.provider_status(provider, now),
            "owed": queries.open_callbacks(provider, now),
            "local_now": now.astimezone(queries.provider_zone(provider)),
        },
    )


@portal_view()
def calls(request: HttpRequest, member: Member) -> HttpResponse:
    provider = member.provider
    form = CallFilterForm(request.GET or None)
    rows = queries.provider_calls(provider)
    if form.is_valid():
        rows = queries.filter_calls(
            rows,
            provider,
            first=form.cleaned_data["first"],
            last=form.cleaned_data["last"],
            outcome=form.cleaned_data["outcome"],
        )
    page = Paginator(rows, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        member,
        "portal/calls.html",
        {
            "form": form,
            "page": page,
            "rows": [queries.call_row(call, provider) for call in page.object_list],
            "query": query.urlencode(),
            "zone": provider.timezone,
        },
    )


@portal_view()
def disclosure(request: HttpRequest, member: Member, number: int) -> HttpResponse:
    """The wording a caller heard, for versions played on this provider's own calls only."""
    heard = queries.provider_calls(member.provider).filter(disclosure_version__number=number).exists()
    version = DisclosureVersion.objects.filter(number=number).first() if heard else None
    if version is None:
        raise Http404
    return render_page(
        request,
        member,
        "portal/disclosure.html",
        {"version": version, "paragraphs": version.paragraphs_for(get_language() or "en")},
    )


# Callbacks ------------------------------------------------------------------------------------------------------


def _callbacks_page(
    request: HttpRequest, member: Member, *, revealed: tuple[int, str] | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    provider = member.provider
    return render_page(
        request,
        member,
        "portal/callbacks.html",
        {
            "owed": queries.open_callbacks(provider, now),
            "closed": queries.recent_closed_callbacks(provider, now),
            "revealed_id": revealed[0] if revealed else None,
            "revealed_number": revealed[1] if revealed else "",
            "outcomes": CallbackOutcome.choices,
        },
        status=status,
    )


@portal_view()
def callback_list(request: HttpRequest, member: Member) -> HttpResponse:
    return _callbacks_page(request, member)


def _scoped_callback_action(member: Member, callback_id: int, form: CallbackActionForm) -> int | None:
    """404 unless the callback is this provider's now; the reassignment count the page saw, if the form is valid."""
    if queries.scoped_callback(member.provider, callback_id) is None:
        raise Http404
    return form.cleaned_data["seen"] if form.is_valid() else None


@portal_view(methods=["POST"])
def callback_claim(request: HttpRequest, member: Member, callback_id: int) -> HttpResponse:
    form = CallbackActionForm(request.POST)
    seen = _scoped_callback_action(member, callback_id, form)
    try:
        callback_services.claim_callback(callback_id, member.provider.pk, member.user, reassignments=seen)
    except callback_services.CallbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Callback %(id)s is yours to return.") % {"id": callback_id})
    return redirect("portal:callbacks")


@portal_view(methods=["POST"])
def callback_reveal(request: HttpRequest, member: Member, callback_id: int) -> HttpResponse:
    """Shows the number on this one response (never cached, never in a URL); the reveal is audited."""
    form = CallbackActionForm(request.POST)
    seen = _scoped_callback_action(member, callback_id, form)
    try:
        number = callback_services.reveal_callback_number(
            callback_id, member.provider.pk, member.user, reassignments=seen
        )
    except callback_services.CallbackError as error:
        messages.error(request, str(error))
        return redirect("portal:callbacks")
    return _callbacks_page(request, member, revealed=(callback_id, number))


@portal_view(methods=["POST"])
def callback_outcome(request: HttpRequest, member: Member, callback_id: int) -> HttpResponse:
    form = CallbackOutcomeForm(request.POST)
    seen = _scoped_callback_action(member, callback_id, form)
    if not form.is_valid():
        messages.error(request, _("Choose what happened when you called back, then press Record outcome."))
        return redirect("portal:callbacks")
    try:
        callback_services.record_callback_outcome(
            callback_id, member.provider.pk, form.cleaned_data["outcome"], member.user, reassignments=seen
        )
    except callback_services.CallbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Callback %(id)s is closed. Thank you.") % {"id": callback_id})
    return redirect("portal:callbacks")


# Monthly figures ------------------------------------------------------------------------------------------------


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@portal_view()
def figures(request: HttpRequest, member: Member) -> HttpResponse:
    today = operator_today()
    form = MonthForm(request.GET or None)
    year, month = today.year, today.month
    if form.is_valid() and form.cleaned_data["month"]:
        year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
    current = (year, month)
    figures_ = monthly_figures(member.provider.pk, year, month)
    previous, following = _month_shift(year, month, -1), _month_shift(year, month, 1)
    return render_page(
        request,
        member,
        "portal/figures.html",
        {
            "form": form,
            "figures": figures_,
            "month_start": dt.date(year, month, 1),
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "following": f"{following[0]:04d}-{following[1]:02d}"
            if following <= (today.year, today.month)
            else "",
            "is_current": current == (today.year, today.month),
            "zone": settings.TIME_ZONE,
        },
    )
